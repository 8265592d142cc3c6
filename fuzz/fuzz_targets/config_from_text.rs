//! Arbitrary text as `ssot-lint.toml`: load and compile it; render the error the way `main`
//! does, or run every rule with the compiled config over a fixed Python file.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use miette::{GraphicalReportHandler, GraphicalTheme};
use ssot_lint::config::Config;
use ssot_lint::facts::FileFacts;
use ssot_lint::rules::{self, FileContext, RuleSet};
use ssot_lint::source::SourceFile;

/// Something for every rule to look at: imports of every form, classes, factories, calls,
/// attribute chains, events, a suppression.
const PYTHON: &str = r#"import app.core.legacy as legacy
from app.core.legacy import UnifiedManager, create_session as make
from ..shims import (EventBridge,  # trailing
    helper)
from app.legacy.factory import *

class LegacyWebSocketManager(Base):
    def create_for_user(self, user):
        return get_websocket_manager_factory().create_manager(user)

Alias = UnifiedManager

def emit(context, bus):
    context.websocket_manager.send("x")
    context.user_emitter.notify_done()
    bus.emit(event_type="user_left")
    context.websocket_bridge.emit_agent_event("agent_started", {})
    app.core.emit("tool_executing")  # ssot: ignore[banned-pattern]
"#;

fn sample() -> &'static (SourceFile, FileFacts) {
    static SAMPLE: OnceLock<(SourceFile, FileFacts)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let file = SourceFile::from_text("app/services/handlers.py", "app.services.handlers", false, PYTHON);
        let facts = ssot_lint::lang::python::extract(&file);
        (file, facts)
    })
}

fn lint_sample(config: &Config) {
    let (file, facts) = sample();
    let context = FileContext::new(file, facts, config);
    rules::check_file(&context);
    rules::check_project(config, RuleSet::all(), &[&rules::contribute(&context)]);
}

fn render(error: &ssot_lint::error::Error) {
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    handler.render_report(&mut out, error).expect("rendering into a String cannot fail");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match ssot_lint::config::from_text(text, Path::new("/nonexistent")) {
        Ok(config) => lint_sample(&config),
        Err(error) => render(&error),
    }
});
