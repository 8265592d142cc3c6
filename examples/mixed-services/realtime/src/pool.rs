pub struct ConnectionPool;
