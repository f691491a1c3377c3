//! The language of a run's words: terminal messages, reasons, the report and the workbook.
//!
//! SPEC: `--lang zh|en` on every verb; without it the first non-empty of `LC_ALL`,
//! `LC_MESSAGES`, `LANG` decides. `zh…` gives Chinese everywhere; `C`, `POSIX`, `C.UTF-8` or
//! no locale gives an English terminal but a Chinese report and workbook (a bureau's server
//! often runs with no locale, and the documents are for the bureau); anything else gives
//! English. File names, CSV headers, JSON keys and coded values never change with it.

/// A language rotaplan speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The `lang` attribute of an HTML page.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the Chinese or English phrase.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Picks the Chinese or the English of any value (a tuple of phrases, say).
    pub fn pick_any<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The languages of one run: what the terminal says, and what the documents (report,
/// workbook, reasons in plan files) say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Langs {
    pub terminal: Lang,
    pub documents: Lang,
}

impl Langs {
    /// Both from an explicit `--lang`, else from the locale variables of this process.
    pub fn resolve(explicit: Option<Lang>) -> Langs {
        match explicit {
            Some(l) => Langs {
                terminal: l,
                documents: l,
            },
            None => Langs::from_locale(locale_from_env().as_deref()),
        }
    }

    /// The SPEC's reading of a locale name (`None`: no locale variable set).
    pub fn from_locale(locale: Option<&str>) -> Langs {
        let l = locale.unwrap_or("").trim();
        let neutral = l.is_empty()
            || l == "C"
            || l == "POSIX"
            || l.eq_ignore_ascii_case("C.UTF-8")
            || l.eq_ignore_ascii_case("C.utf8");
        if l.to_ascii_lowercase().starts_with("zh") {
            Langs {
                terminal: Lang::Zh,
                documents: Lang::Zh,
            }
        } else if neutral {
            Langs {
                terminal: Lang::En,
                documents: Lang::Zh,
            }
        } else {
            Langs {
                terminal: Lang::En,
                documents: Lang::En,
            }
        }
    }
}

/// The first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`.
fn locale_from_env() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_rules_of_the_spec() {
        let zh = Langs::from_locale(Some("zh_CN.UTF-8"));
        assert_eq!((zh.terminal, zh.documents), (Lang::Zh, Lang::Zh));
        for neutral in [None, Some("C"), Some("POSIX"), Some("C.UTF-8")] {
            let l = Langs::from_locale(neutral);
            assert_eq!(
                (l.terminal, l.documents),
                (Lang::En, Lang::Zh),
                "{neutral:?}"
            );
        }
        let en = Langs::from_locale(Some("en_US.UTF-8"));
        assert_eq!((en.terminal, en.documents), (Lang::En, Lang::En));
        let fr = Langs::from_locale(Some("fr_FR.UTF-8"));
        assert_eq!((fr.terminal, fr.documents), (Lang::En, Lang::En));
    }

    #[test]
    fn explicit_flag_wins_everywhere() {
        let l = Langs::resolve(Some(Lang::En));
        assert_eq!((l.terminal, l.documents), (Lang::En, Lang::En));
    }
}
