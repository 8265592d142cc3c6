//! What `ssot-lint fix` knows of the project's modules before it moves a name.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use super::ModuleFacts;
use crate::config::Config;
use crate::facts::FileFacts;
use crate::source::SourceFile;

/// The project's modules as files under the import roots: a name never moves to a module of the
/// project that does not bind it (a stale registry entry would break the import), and never when
/// it is a submodule of the package it is imported from (`from app import utils` with
/// `app/utils.py` imports the module, not the registry symbol `utils`).
#[derive(Debug)]
pub struct ProjectModules {
    /// The project root and its import roots (relative to it).
    root: PathBuf,
    roots: Vec<PathBuf>,
    /// Module → its facts (`None`: no such file). Shared by the parallel lint of the files.
    facts: Mutex<HashMap<String, Option<FileFacts>>>,
}

impl ProjectModules {
    pub fn new(config: &Config) -> Self {
        ProjectModules {
            root: config.root.clone(),
            roots: config.roots.iter().map(PathBuf::from).collect(),
            facts: Mutex::new(HashMap::new()),
        }
    }

    /// The file of a dotted module under the first import root that has it.
    fn module_file(&self, module: &str) -> Option<PathBuf> {
        let relative = module.replace('.', "/");
        self.roots.iter().find_map(|root| {
            let base = self.root.join(root).join(&relative);
            let package = base.join("__init__");
            [
                base.with_extension("py"),
                base.with_extension("pyi"),
                package.with_extension("py"),
                package.with_extension("pyi"),
            ]
            .into_iter()
            .find(|candidate| candidate.is_file())
        })
    }

    fn binds(&self, module: &str, symbol: &str) -> Option<bool> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
        let mut cache = self.facts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let facts = cache.entry(module.to_string()).or_insert_with(|| {
            let path = self.module_file(module)?;
            let bytes = std::fs::read(&path).ok()?;
            let is_package = path.file_stem().is_some_and(|stem| stem == "__init__");
            let file = SourceFile::new(module.to_string(), module.to_string(), is_package, bytes);
            Some(crate::lang::python::extract(&file))
        });
        facts.as_ref().map(|facts| crate::rules::stale_registry::binds(facts, symbol))
    }
}

impl ModuleFacts for ProjectModules {
    fn refuse(&self, from: &str, symbol: &str, home: &str) -> Option<String> {
        let submodule = format!("{from}.{symbol}");
        if self.module_file(&submodule).is_some() {
            return Some(format!("{submodule} is a module, not the registry symbol {symbol}"));
        }
        // A home that is not a file of the project (an installed package, a module still to be
        // written) is taken at the registry's word.
        match self.binds(home, symbol) {
            Some(false) => Some(format!(
                "its registry module {home} does not define, import or assign {symbol} (a stale registry entry)"
            )),
            Some(true) | None => None,
        }
    }
}
