//! Arbitrary bytes as a Rust file (the syn front end merged after the five targets of issue #7):
//! fact extraction and every per-file rule under a config with every entry kind; `fix` must
//! leave Rust files alone.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ssot_lint::config::Config;
use ssot_lint::rules::{self, stale_registry, FileContext};
use ssot_lint::source::SourceFile;

/// The entries of the Rust fixtures (tests/fixtures/rust-*), merged.
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

[[concept]]
name = "websocket-manager"
canonical-class = "chat_core::manager::UnifiedWebSocketManager"
class-patterns = ["*WebSocketManager"]
allow-classes = ["*WebSocketManagerProtocol"]
canonical-factory = "chat_core::manager::UnifiedWebSocketManager::create_for_user"
factory-patterns = ["create_websocket_manager", "*WebSocketManagerFactory"]
"#;

fn config() -> &'static Config {
    static CONFIG_CELL: OnceLock<Config> = OnceLock::new();
    CONFIG_CELL.get_or_init(|| {
        ssot_lint::config::from_text(CONFIG, Path::new("/nonexistent"))
            .expect("the fixed fuzz config is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let file =
        SourceFile::new("src/ws/handlers.rs".into(), "chat_core::ws::handlers".into(), false, data.to_vec());
    let facts = ssot_lint::lang::extract(&file);
    let config = config();
    let context = FileContext::new(&file, &facts, config);
    for violation in rules::check_file(&context) {
        assert!(violation.span.start <= file.text.len() && violation.span.end <= file.text.len());
        file.position(violation.span.start);
        file.line_text(file.position(violation.span.start).line);
    }
    stale_registry::check(config, &[stale_registry::contribute(&context)]);
    let plan = ssot_lint::fix::plan(&file, &facts, config, &[]);
    assert!(plan.rewrites.is_empty(), "fix rewrites Python imports only");
});
