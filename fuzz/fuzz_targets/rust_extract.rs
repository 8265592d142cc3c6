//! Arbitrary bytes as a Rust file (the syn front end merged after the five targets of issue #7):
//! the engine's per-file entry point (`check_source`: fact extraction, every rule, placement)
//! under a config with every entry kind; `fix` must leave Rust files alone.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ssot_lint::engine::check_source;
use ssot_lint::rules::{self, RuleSet};
use ssot_lint::settings::Settings;
use ssot_lint::source::SourceFile;

/// The entries of the Rust fixtures (tests/fixtures/cases/rust-*), merged.
const CONFIG: &str = r#"
[project]
roots = ["."]

[[registry]]
symbol = "UserId"
module = "chat_core::ids"
compat = ["chat_core::compat"]

[[registry]]
symbol = "UserExecutionContext"
module = "chat_core::context"

[[deprecated-module]]
module = "chat_core::legacy"
replacement = "chat_core::ids"

[[pattern]]
id = "legacy-manager-event"
match = "**.context.websocket_manager"
kind = "attribute"

[[pattern]]
id = "global-registry"
match = "**::Registry::global"
kind = "call"

[[events]]
name = "critical-agent-events"
emitters = ["**.emit_agent_event"]
allowed = ["agent_started", "agent_completed"]
required = ["agent_started", "agent_completed"]
scope = "class"

[[concept]]
name = "websocket-manager"
canonical-class = "chat_core::manager::UnifiedWebSocketManager"
class-patterns = ["*WebSocketManager"]
allow-classes = ["*WebSocketManagerProtocol"]
canonical-factory = "chat_core::manager::UnifiedWebSocketManager::create_for_user"
factory-patterns = ["create_websocket_manager", "*WebSocketManagerFactory"]
"#;

/// Every rule on every input: no prefilter.
fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let config = ssot_lint::config::from_text(CONFIG, Path::new("/nonexistent"))
            .expect("the fixed fuzz config is valid");
        Settings { prefilter: None, ..Settings::new(config) }
    })
}

fuzz_target!(|data: &[u8]| {
    let file =
        SourceFile::new("src/ws/handlers.rs".into(), "chat_core::ws::handlers".into(), false, data.to_vec());
    let settings = settings();
    let config = &settings.config;
    let result = check_source(&file, settings);
    for finding in &result.findings {
        assert!(finding.span.start <= file.text.len() && finding.span.end <= file.text.len());
        file.line_text(finding.start.line);
    }
    rules::check_project(config, RuleSet::all(), &[&result.contribution]);
    let facts = ssot_lint::lang::extract(&file);
    let plan = ssot_lint::rules::fix_imports::plan(&file, &facts, config, &[]);
    assert!(plan.rewrites.is_empty(), "fix rewrites Python imports only");
});
