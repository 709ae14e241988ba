//! No scenario uses the name of a real child, relative, worker or place from
//! the published reviews (`tests/real_names.txt`).

use crate::repo;

#[test]
fn no_scenario_contains_a_real_name() {
    let list = std::fs::read_to_string(repo("tests/real_names.txt")).unwrap();
    let names: Vec<String> =
        list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase).collect();
    assert!(names.len() > 30, "the list should not be empty");
    let mut checked = 0;
    for entry in std::fs::read_dir(repo("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        let words: Vec<&str> = text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).collect();
        for name in &names {
            let hit = if name.contains(' ') {
                text.contains(name.as_str())
            } else {
                words.iter().any(|w| w.trim_matches('\'') == name || w.trim_end_matches("'s") == name)
            };
            assert!(!hit, "{} contains the real name `{name}`", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 1);
}

#[test]
fn the_check_would_catch_a_real_name() {
    // The same matching as above, on a sentence that should fail.
    let text = "the social worker rang haringey about peter connelly's bruises".to_string();
    let words: Vec<&str> = text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).collect();
    assert!(words.contains(&"haringey"));
    assert!(text.contains("peter connelly"));
}
