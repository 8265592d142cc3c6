use super::*;

/// Facts through the real front end (the same call `app::discover` makes).
fn summary(path: &str, module: &str, text: &str) -> FileSummary {
    let is_package = path.ends_with("__init__.py");
    let file = SourceFile::from_text(path, module, is_package, text);
    let facts = crate::lang::extract(&file);
    FileSummary::new(&file, &facts)
}

fn names(summary: &FileSummary) -> Vec<(&str, Kind)> {
    summary.definitions.iter().map(|definition| (definition.name.as_str(), definition.kind)).collect()
}

#[test]
fn module_level_includes_top_level_if_try_with_blocks() {
    let text = "\
import sys
if sys.version_info >= (3, 11):
    class A: pass
else:
    def A(): pass
try:
    from fast import B
except ImportError:
    B = None
    class C:
        def method(self): pass
with open('x') as handle:
    D = 1
for _ in range(1):
    def E(): pass
def outer():
    class Inner: pass
    F = 1
class G:
    H = 2
    def method(self):
        from deep import I
@decorator
def J(): pass
K: int = 3
L: int
";
    let summary = summary("pkg/mod.py", "pkg.mod", text);
    assert_eq!(
        names(&summary),
        vec![
            ("A", Kind::Class),
            ("A", Kind::Function),
            ("B", Kind::Assignment),
            ("C", Kind::Class),
            ("D", Kind::Assignment),
            ("E", Kind::Function),
            ("outer", Kind::Function),
            ("G", Kind::Class),
            ("J", Kind::Function),
            ("K", Kind::Assignment),
        ]
    );
    // Imports at any nesting level count, relative ones resolved.
    assert_eq!(
        summary.imports,
        vec![("fast".to_string(), "B".to_string()), ("deep".to_string(), "I".to_string())]
    );
    let relative = super::tests::summary(
        "pkg/sub/mod.py",
        "pkg.sub.mod",
        "from ..core import X, Y as Z\nfrom . import W\nfrom .... import Lost\n",
    );
    assert_eq!(
        relative.imports,
        vec![
            ("pkg.core".to_string(), "X".to_string()),
            ("pkg.core".to_string(), "Y".to_string()),
            ("pkg.sub".to_string(), "W".to_string()),
        ]
    );
}

#[test]
fn camel_words_split_acronyms_digits_and_underscores() {
    assert_eq!(camel_words("UnifiedWebSocketManager"), vec!["Unified", "Web", "Socket", "Manager"]);
    assert_eq!(camel_words("HTTPServerV2Factory"), vec!["HTTP", "Server", "V2", "Factory"]);
    assert_eq!(camel_words("_Private_Thing"), vec!["Private", "Thing"]);
    assert_eq!(camel_words("Manager"), vec!["Manager"]);
    assert_eq!(
        common_suffix(["AWebSocketManager", "BWebSocketManager", "WebSocketManager"].into_iter()),
        "WebSocketManager"
    );
}

fn file(module: &str, imports: &[(&str, &str)], definitions: &[(&str, Kind)]) -> FileSummary {
    FileSummary {
        module: module.to_string(),
        path: format!("{}.py", module.replace('.', "/")),
        imports: imports.iter().map(|(module, name)| (module.to_string(), name.to_string())).collect(),
        definitions: definitions
            .iter()
            .enumerate()
            .map(|(index, (name, kind))| ModuleDefinition {
                name: name.to_string(),
                kind: *kind,
                line: index + 1,
            })
            .collect(),
    }
}

#[test]
fn a_home_is_the_one_definer_else_a_majority_source() {
    let files = vec![
        file("app.core", &[], &[("Manager", Kind::Class), ("CONST", Kind::Assignment)]),
        file("app.compat", &[("app.core", "Manager")], &[]),
        file(
            "app.a",
            &[("app.compat", "Manager"), ("app.core", "Manager"), ("app.b", "DOMAIN"), ("app.b", "Local")],
            &[("DOMAIN", Kind::Assignment)],
        ),
        file(
            "app.b",
            &[("app.compat", "Manager"), ("other.lib", "Manager"), ("app.a", "DOMAIN")],
            &[("DOMAIN", Kind::Assignment), ("Local", Kind::Class)],
        ),
        file("app.c", &[("app.b", "Local"), ("app.b", "Local"), ("app.b", "Local"), ("app.a", "Local")], &[]),
        file("app.d", &[("app", "core"), ("app", "core"), ("app.x", "core")], &[]),
    ];
    let discovery = analyze(&files, Thresholds::default());
    let names: Vec<&str> = discovery.scattered.iter().map(|item| item.name.as_str()).collect();
    assert_eq!(names, vec!["Manager"], "{discovery:#?}");
    let manager = &discovery.scattered[0];
    assert_eq!(manager.home, "app.core");
    assert_eq!(manager.compat, vec!["app.compat"]);
    assert_eq!((manager.compat_imports, manager.non_canonical, manager.total()), (2, 1, 5));
    // DOMAIN: two definers, no majority: a homonym. Local: one definer (app.b), 3 of 4 imports
    // from it, so only 1 import elsewhere: under --min-imports 2.
    assert_eq!(
        discovery.homonyms.iter().map(|homonym| homonym.name.as_str()).collect::<Vec<_>>(),
        vec!["DOMAIN"]
    );
    let lenient = analyze(&files, Thresholds { min_imports: 1, ..Thresholds::default() });
    let local = lenient.scattered.iter().find(|item| item.name == "Local").expect("Local");
    assert_eq!((local.home.as_str(), local.non_canonical, local.compat_imports), ("app.b", 0, 1));
    assert_eq!(local.compat, vec!["app.a"]);
}

#[test]
fn families_prefer_the_specific_suffix_and_collect_factories() {
    let class = Kind::Class;
    let files = vec![
        file(
            "app.ws",
            &[],
            &[
                ("UnifiedWebSocketManager", class),
                ("LegacyWebSocketManager", class),
                ("WebSocketManager", class),
            ],
        ),
        file(
            "app.other",
            &[],
            &[("UserManager", class), ("SessionManager", class), ("CacheManager", class), ("_Hidden", class)],
        ),
        file(
            "app.factories",
            &[],
            &[
                ("get_websocket_manager_factory", Kind::Function),
                ("create_websocket_manager", Kind::Function),
                ("create_user_manager", Kind::Function),
                ("WebSocketManagerFactory", class),
                ("create_unrelated", Kind::Function),
            ],
        ),
    ];
    let discovery = analyze(&files, Thresholds::default());
    let families: Vec<(&str, usize, Vec<&str>)> = discovery
        .families
        .iter()
        .map(|family| {
            (
                family.suffix.as_str(),
                family.classes.len(),
                family.factories.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        families,
        vec![
            ("Manager", 3, vec!["app.factories.create_user_manager"]),
            (
                "WebSocketManager",
                3,
                vec![
                    "app.factories.WebSocketManagerFactory",
                    "app.factories.create_websocket_manager",
                    "app.factories.get_websocket_manager_factory",
                ]
            ),
        ]
    );
    assert_eq!(discovery.families[0].contains, vec!["WebSocketManager"]);
}

#[test]
fn duplicates_group_by_name_and_kind_once_per_module() {
    let files = vec![
        file(
            "a",
            &[],
            &[("helper", Kind::Function), ("helper", Kind::Function), ("__getattr__", Kind::Function)],
        ),
        file(
            "b",
            &[],
            &[("helper", Kind::Function), ("__getattr__", Kind::Function), ("X", Kind::Assignment)],
        ),
        file("c", &[], &[("helper", Kind::Class), ("X", Kind::Assignment)]),
    ];
    let discovery = analyze(&files, Thresholds::default());
    assert_eq!(discovery.duplicates.len(), 1, "{:#?}", discovery.duplicates);
    let helper = &discovery.duplicates[0];
    assert_eq!((helper.name.as_str(), helper.kind), ("helper", Kind::Function));
    assert_eq!(
        helper.defined_in.iter().map(|at| (at.module.as_str(), at.line)).collect::<Vec<_>>(),
        vec![("a", 1), ("b", 1)]
    );
}

#[test]
fn test_globs_match_test_code_only() {
    let tests = test_globset();
    for path in ["tests/test_a.py", "app/tests/helpers.py", "test_x.py", "app/x_test.py", "app/conftest.py"] {
        assert!(tests.is_match(path), "{path}");
    }
    for path in ["app/testing.py", "app/latest/mod.py", "app/contest.py", "app/test_dir/mod.py"] {
        assert!(!tests.is_match(path), "{path}");
    }
}

#[test]
fn thousands_separators() {
    assert_eq!(report::thousands(0), "0");
    assert_eq!(report::thousands(999), "999");
    assert_eq!(report::thousands(1577), "1,577");
    assert_eq!(report::thousands(1234567), "1,234,567");
}

#[test]
fn with_several_definitions_imports_through_re_exports_count_for_their_origin() {
    let files = vec![
        file("pkg._impl", &[], &[("Thing", Kind::Class)]),
        file("pkg", &[("pkg._impl", "Thing")], &[]),
        file("legacy.old", &[], &[("Thing", Kind::Class)]),
        file("a", &[("pkg", "Thing"), ("pkg", "Thing"), ("legacy.old", "Thing")], &[]),
        file("b", &[("pkg", "Thing"), ("legacy.old", "Thing")], &[]),
    ];
    let discovery = analyze(&files, Thresholds::default());
    let thing = &discovery.scattered[0];
    // pkg._impl: 1 direct + 3 through pkg = 4 of 6; legacy.old 2.
    assert_eq!(thing.home, "pkg._impl");
    assert_eq!(thing.compat, vec!["pkg"]);
    assert_eq!((thing.compat_imports, thing.non_canonical), (3, 2));
}
