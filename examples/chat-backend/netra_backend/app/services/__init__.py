"""Business services shared by agents and routes."""
