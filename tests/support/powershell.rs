//! PowerShell as the tests see it: a real PowerShell grammar (tree-sitter-powershell) parses a
//! script and lists the commands it calls, so a test can check that every command the product
//! shows or generates is valid PowerShell and uses only the cmdlets it may.

use tree_sitter::{Node, Parser, Tree};

/// Parses `script`; an error names the line and column of the first part the grammar rejects.
pub fn parse(script: &str) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .map_err(|e| format!("the PowerShell grammar does not load: {e}"))?;
    let tree = parser
        .parse(script, None)
        .ok_or_else(|| "the parser gave up".to_string())?;
    if let Some(bad) = first_error(tree.root_node()) {
        let p = bad.start_position();
        let text = bad.utf8_text(script.as_bytes()).unwrap_or("");
        let what = if bad.is_missing() {
            format!("missing {}", bad.kind())
        } else {
            format!("unexpected `{}`", text.chars().take(40).collect::<String>())
        };
        return Err(format!(
            "not valid PowerShell at line {}, column {}: {what}",
            p.row + 1,
            p.column + 1
        ));
    }
    Ok(tree)
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    if !node.has_error() {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error)
}

/// The name of every command the script calls (`Get-MgUser`, `Select-Object`, `?`, `%`), in
/// order, as written.
pub fn commands(script: &str) -> Result<Vec<String>, String> {
    let tree = parse(script)?;
    let mut names = Vec::new();
    collect(tree.root_node(), script.as_bytes(), &mut names);
    Ok(names)
}

fn collect(node: Node, src: &[u8], out: &mut Vec<String>) {
    if node.kind() == "command_name"
        && let Ok(text) = node.utf8_text(src)
    {
        out.push(text.to_string());
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, src, out);
    }
}

#[cfg(test)]
mod self_test {
    #[test]
    fn the_grammar_accepts_good_scripts_and_names_the_bad_spot() {
        let names = super::commands(
            "Get-CsTeamsClientConfiguration -Identity Global | Select-Object AllowGuestUser\n(Get-MgBetaDirectorySetting | ? DisplayName -eq \"Group.Unified\").Values",
        )
        .unwrap();
        assert_eq!(
            names,
            [
                "Get-CsTeamsClientConfiguration",
                "Select-Object",
                "Get-MgBetaDirectorySetting",
                "?"
            ]
        );
        let err = super::parse("Set-X -A $true\nif ( {").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }
}
