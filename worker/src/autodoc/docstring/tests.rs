//! Docstring parsing: the three conventions, the plain fallback and reST block rewriting.

use super::*;

fn field(name: &str, ty: Option<&str>, description: &str) -> DocField {
    DocField {
        name: name.to_owned(),
        ty: ty.map(str::to_owned),
        description: description.to_owned(),
    }
}

/// Parses `raw` and compares the structured parts that `expected` sets.
fn check(raw: &str, expected: &Docstring) {
    let parsed = parse_docstring(raw);
    assert_eq!(parsed.style, expected.style, "style of {raw:?}");
    assert_eq!(parsed.summary, expected.summary, "summary of {raw:?}");
    assert_eq!(parsed.body, expected.body, "body of {raw:?}");
    assert_eq!(parsed.params, expected.params, "params of {raw:?}");
    assert_eq!(parsed.returns, expected.returns, "returns of {raw:?}");
    assert_eq!(parsed.yields, expected.yields, "yields of {raw:?}");
    assert_eq!(parsed.raises, expected.raises, "raises of {raw:?}");
    assert_eq!(
        parsed.attributes, expected.attributes,
        "attributes of {raw:?}"
    );
    assert_eq!(parsed.examples, expected.examples, "examples of {raw:?}");
    assert_eq!(parsed.sections, expected.sections, "sections of {raw:?}");
}

#[test]
fn cleandoc_matches_python() {
    let cases = [
        ("Summary.", "Summary."),
        (
            "\n    Summary.\n\n    Body\n      indented\n    ",
            "Summary.\n\nBody\n  indented",
        ),
        (
            "First line\n        second\n        third",
            "First line\nsecond\nthird",
        ),
        ("\tTabbed\n\tline", "Tabbed\nline"),
        ("", ""),
        // Non-ASCII indentation is dropped by characters, never cut in half.
        ("Title\n    a\n   \u{3000}b", "Title\na\nb"),
    ];
    for (raw, expected) in cases {
        assert_eq!(cleandoc(raw), expected, "cleandoc({raw:?})");
    }
}

#[test]
fn google_style() {
    let raw = r#"Fetch a page.

    Longer description
    over two lines.

    Args:
        url (str): The address.
        timeout: Seconds to wait,
            at most.
        *args: Extra.

    Returns:
        bytes: The body.

    Raises:
        ValueError: If `url` is empty.
        TimeoutError: On timeout.

    Note:
        Cached for a minute.

    Example:
        >>> fetch("x")
        b''
    "#;
    check(
        raw,
        &Docstring {
            style: DocstringStyle::Google,
            summary: "Fetch a page.".to_owned(),
            body: "Longer description\nover two lines.".to_owned(),
            params: vec![
                field("url", Some("str"), "The address."),
                field("timeout", None, "Seconds to wait,\nat most."),
                field("*args", None, "Extra."),
            ],
            returns: vec![field("", Some("bytes"), "The body.")],
            raises: vec![
                field("ValueError", None, "If `url` is empty."),
                field("TimeoutError", None, "On timeout."),
            ],
            sections: vec![DocSection {
                kind: SectionKind::Note,
                title: "Note".to_owned(),
                body: "Cached for a minute.".to_owned(),
            }],
            examples: "```python\n>>> fetch(\"x\")\nb''\n```".to_owned(),
            ..Docstring::default()
        },
    );
}

#[test]
fn google_returns_without_type_and_yields() {
    check(
        "Walk.\n\nYields:\n    int: Each number.\n\nReturns:\n    The number of steps: always positive.",
        &Docstring {
            style: DocstringStyle::Google,
            summary: "Walk.".to_owned(),
            returns: vec![field("", None, "The number of steps: always positive.")],
            yields: vec![field("", Some("int"), "Each number.")],
            ..Docstring::default()
        },
    );
}

#[test]
fn numpy_style() {
    let raw = r#"
    Compute things.

    Parameters
    ----------
    x : int
        The input.
    y : list of str, optional
        Names.

    Returns
    -------
    count : int
        How many.

    Raises
    ------
    KeyError
        When missing.

    See Also
    --------
    other : Does the rest.

    Examples
    --------
    >>> compute(1)
    2
    "#;
    check(
        raw,
        &Docstring {
            style: DocstringStyle::Numpy,
            summary: "Compute things.".to_owned(),
            params: vec![
                field("x", Some("int"), "The input."),
                field("y", Some("list of str, optional"), "Names."),
            ],
            returns: vec![field("count", Some("int"), "How many.")],
            raises: vec![field("KeyError", None, "When missing.")],
            sections: vec![DocSection {
                kind: SectionKind::SeeAlso,
                title: "See Also".to_owned(),
                body: "- [`other`](ssg-xref:obj:other): Does the rest.".to_owned(),
            }],
            examples: "```python\n>>> compute(1)\n2\n```".to_owned(),
            ..Docstring::default()
        },
    );
}

#[test]
fn numpy_returns_bare_type() {
    check(
        "Sum.\n\nReturns\n-------\nint\n    The sum.",
        &Docstring {
            style: DocstringStyle::Numpy,
            summary: "Sum.".to_owned(),
            returns: vec![field("", Some("int"), "The sum.")],
            ..Docstring::default()
        },
    );
}

#[test]
fn sphinx_style() {
    let raw = r#"Open a connection.

    Uses :class:`~pkg.net.Socket` underneath.

    :param str host: Host name.
    :param port: Port number,
        defaults to 80.
    :type port: :class:`int`
    :returns: The connection.
    :rtype: Connection
    :raises ConnectionError: When refused.
    :ivar timeout: Seconds.
    :vartype timeout: float
    "#;
    check(
        raw,
        &Docstring {
            style: DocstringStyle::Sphinx,
            summary: "Open a connection.".to_owned(),
            body: "Uses [`Socket`](ssg-xref:class:~pkg.net.Socket) underneath.".to_owned(),
            params: vec![
                field("host", Some("str"), "Host name."),
                field("port", Some("int"), "Port number,\ndefaults to 80."),
            ],
            returns: vec![field("", Some("Connection"), "The connection.")],
            raises: vec![field("ConnectionError", None, "When refused.")],
            attributes: vec![field("timeout", Some("float"), "Seconds.")],
            ..Docstring::default()
        },
    );
}

#[test]
fn unstructured_and_mixed_docstrings_stay_plain() {
    // Plain prose, with a title-like line that has no indented content.
    check(
        "Do it.\n\nClasses:\nFoo: a thing\n\nMore text.",
        &Docstring {
            style: DocstringStyle::Plain,
            summary: "Do it.".to_owned(),
            body: "Classes:\nFoo: a thing\n\nMore text.".to_owned(),
            ..Docstring::default()
        },
    );
    // Google and Sphinx markers together: nothing is guessed.
    check(
        "Mixed.\n\nArgs:\n    x: one\n\n:param y: two",
        &Docstring {
            style: DocstringStyle::Plain,
            summary: "Mixed.".to_owned(),
            body: "Args:\n    x: one\n\n:param y: two".to_owned(),
            ..Docstring::default()
        },
    );
}

#[test]
fn rest_blocks_become_markdown() {
    let cases = [
        // Doctest inside prose.
        (
            "Text.\n\n>>> 1 + 1\n2\n\nAfter.",
            "Text.\n\n```python\n>>> 1 + 1\n2\n```\n\nAfter.",
        ),
        // Literal block after `::`.
        (
            "Example::\n\n    x = 1\n    y = 2\n\nDone.",
            "Example:\n\n```\nx = 1\ny = 2\n```\n\nDone.",
        ),
        // Bare `::` on its own line disappears.
        ("Code ::\n\n    z()", "Code\n\n```\nz()\n```"),
        // code-block directive with options.
        (
            ".. code-block:: bash\n   :linenos:\n\n   ls -l",
            "```bash\nls -l\n```",
        ),
        // Admonition directive becomes an alert.
        (
            ".. note:: Be careful.\n   Really.",
            "> [!NOTE]\n> Be careful.\n> Really.",
        ),
        (
            ".. deprecated:: 2.0\n   Use bar.",
            "> **Deprecated since version 2.0:**\n> Use bar.",
        ),
        // Underlined titles do not become page headings.
        ("Usage\n-----\nCall it.", "**Usage**\n\nCall it."),
        // Roles become code spans; markdown fences pass through.
        (
            "See :func:`run <pkg.run>` and :py:meth:`!x.y`.",
            "See [`run`](ssg-xref:func:pkg.run) and `x.y`.",
        ),
        (
            "```py\n>>> not a doctest\n```",
            "```py\n>>> not a doctest\n```",
        ),
        // A fence longer than the backticks inside.
        (">>> print('```')", "````python\n>>> print('```')\n````"),
    ];
    for (raw, expected) in cases {
        let lines: Vec<&str> = raw.lines().collect();
        assert_eq!(
            blocks::to_markdown(&lines),
            expected,
            "to_markdown({raw:?})"
        );
    }
}

#[test]
fn types_fill_from_signature() {
    let mut docstring = parse_docstring(
        "Do.\n\nArgs:\n    x: The x.\n    y (str): The y.\n    **kw: More.\n\nReturns:\n    The result.",
    );
    let signature = Signature {
        type_params: Vec::new(),
        params: vec![
            crate::autodoc::signature::Param {
                name: "x".to_owned(),
                kind: crate::autodoc::signature::ParamKind::PositionalOrKeyword,
                annotation: Some("int".to_owned()),
                default: None,
            },
            crate::autodoc::signature::Param {
                name: "y".to_owned(),
                kind: crate::autodoc::signature::ParamKind::PositionalOrKeyword,
                annotation: Some("bytes".to_owned()),
                default: None,
            },
            crate::autodoc::signature::Param {
                name: "kw".to_owned(),
                kind: crate::autodoc::signature::ParamKind::VarKeyword,
                annotation: Some("Any".to_owned()),
                default: None,
            },
        ],
        returns: Some("bool".to_owned()),
    };
    docstring.fill_types(&signature);
    let types: Vec<Option<&str>> = docstring
        .params
        .iter()
        .map(|param| param.ty.as_deref())
        .collect();
    // The docstring's own type wins over the annotation.
    assert_eq!(types, [Some("int"), Some("str"), Some("Any")]);
    assert_eq!(docstring.returns[0].ty.as_deref(), Some("bool"));
}

#[test]
fn nested_admonitions_stop_at_a_depth() {
    let mut raw = String::new();
    for level in 0..20 {
        raw.push_str(&format!("{}.. note::\n", "   ".repeat(level)));
    }
    raw.push_str(&format!("{}Deep.", "   ".repeat(20)));
    let lines: Vec<&str> = raw.lines().collect();
    let markdown = blocks::to_markdown(&lines);
    assert_eq!(markdown.matches("[!NOTE]").count(), 8, "{markdown}");
    assert!(markdown.contains("Deep."));
}
