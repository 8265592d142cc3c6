//! The prefilter on real configs: the needles the rules ask for (`rules::needles`), compiled, and
//! which files the rules run on.

use ssot_lint::prefilter::Prefilter;

fn prefilter(toml: &str) -> Prefilter {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ssot-lint.toml"), toml).unwrap();
    let loaded = ssot_lint::config::load(None, dir.path(), &[]).unwrap();
    Prefilter::new(ssot_lint::rules::needles(&loaded.config))
}

const CONFIG: &str = r#"
[[registry]]
symbol = "UnifiedManager"
module = "app.core.unified"

[[deprecated-module]]
module = "app.old.factory"

[[concept]]
name = "manager"
class-patterns = ["*WebSocketManager"]
canonical-factory = "app.core.unified.UnifiedManager.create_for_user"

[[pattern]]
id = "sleep"
match = "time.sleep"
"#;

#[test]
fn files_without_needles_are_ruled_out() {
    let filter = prefilter(CONFIG);
    assert!(!filter.may_fire("app.x", "import os\nprint(os.sep)\n"));
    // Identifier boundaries: `UnifiedManagers` is not `UnifiedManager`.
    assert!(!filter.may_fire("app.x", "UnifiedManagers = 1\n"));
    // One fragment of a two-fragment glob is not enough.
    assert!(!filter.may_fire("app.x", "import time\ntime.time()\n"));
}

#[test]
fn a_declaration_needle_anywhere_rules_a_file_in() {
    let filter = prefilter(CONFIG);
    assert!(filter.may_fire("app.x", "from app.x import UnifiedManager\n"));
    assert!(filter.may_fire("app.x", "def f():\n    return UnifiedManager()\n"));
    assert!(filter.may_fire("app.x", "class A:\n    def create_for_user(self):\n        pass\n"));
}

#[test]
fn deprecated_and_registry_modules_are_judged_by_path() {
    let filter = prefilter(CONFIG);
    // Inside the deprecated package, `from . import x` names it without spelling it.
    assert!(filter.may_fire("app.old.factory.sub", "from . import helpers\n"));
    assert!(filter.may_fire("app.old.x", "from . import factory\n"));
    // A registry module always gets the rules (stale-registry asks what it binds).
    assert!(filter.may_fire("app.core.unified", "x = 1\n"));
}

#[test]
fn every_fragment_of_a_glob_must_be_present() {
    let filter = prefilter(CONFIG);
    assert!(!filter.may_fire("app.x", "import os\n\ndef f():\n    sleep = 1\n"));
    assert!(filter.may_fire("app.x", "import os\n\ndef f():\n    time.sleep(1)\n"));
    // In one file is enough: the fragments may sit in different statements.
    assert!(filter.may_fire("app.x", "import time\n\ndef f():\n    sleep = 1\n"));
    assert!(filter.may_fire("app.x", "class FastWebSocketManager:\n    pass\n"));
}

#[test]
fn files_where_only_the_qualified_name_matches_are_kept() {
    let filter = prefilter(
        "[[pattern]]\nid = \"ctx\"\nmatch = \"ssl.create_default_context\"\n\n\
         [[events]]\nname = \"ev\"\nemitters = [\"app.bridge.emit_agent_event\"]\nallowed = [\"a\"]\n",
    );
    // Every spelling of an aliased import still names the module and the member.
    for text in [
        "import ssl\nssl.create_default_context()\n",
        "import ssl as s\ns.create_default_context()\n",
        "from ssl import create_default_context\ncreate_default_context()\n",
        "from ssl import create_default_context as cdc\ncdc()\n",
        "if TYPE_CHECKING:\n    from ssl import create_default_context as cdc\n",
        "def f():\n    from ssl import create_default_context as cdc\n    return cdc()\n",
    ] {
        assert!(filter.may_fire("svc.x", text), "{text}");
    }
    // A relative import names the package only through the file's module name.
    let relative = "from .bridge import emit_agent_event as emit\nemit(\"b\")\n";
    assert!(filter.may_fire("app.worker", relative));
    assert!(filter.may_fire("app.sub.worker", "from ..bridge import emit_agent_event as emit\n"));
    assert!(!filter.may_fire("other.worker", relative));
    // The module name alone proves nothing, and declaration needles are not looked up in it.
    assert!(!filter.may_fire("app.bridge.emit_agent_event", "x = 1\n"));
    let declared = prefilter("[[registry]]\nsymbol = \"worker\"\nmodule = \"app.core\"\n");
    assert!(!declared.may_fire("app.worker", "x = 1\n"));
}

#[test]
fn a_glob_without_literals_or_an_empty_config_turns_it_off() {
    assert!(prefilter("[[pattern]]\nid = \"all\"\nmatch = \"*\"\n").is_off());
    assert!(prefilter("[project]\nroots = [\".\"]\n").is_off());
    assert!(prefilter("").may_fire("a", "x = 1\n"));
}
