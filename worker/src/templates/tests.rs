//! Tests of the template environment: user overrides, errors that name the right file and
//! line, missing templates, and content that is data rather than template code.
//! The built-in theme's own rendering is tested in `theme_tests.rs`.

use super::{TemplateError, Templates};
use minijinja::{Value, context};
use protocol::TemplateSource;

fn user(name: &str, source: &str) -> TemplateSource {
    TemplateSource {
        name: name.into(),
        path: format!("templates/{name}"),
        source: source.into(),
    }
}

/// Renders `name` with `templates` and a small context; returns the output or the error.
fn render(templates: &[TemplateSource], name: &str) -> Result<String, TemplateError> {
    let ctx = context! {
        page => context! {
            title => "Install",
            content => Value::from_safe_string("<p>{{ page.title }} {% raw %}</p>".into()),
        },
        items => vec!["a", "b"],
    };
    Templates::new(templates).render(name, &ctx)
}

/// Asserts that rendering fails with an error at `file`:`line` whose message contains
/// `message_part`.
fn check_error(result: Result<String, TemplateError>, file: &str, line: u32, message_part: &str) {
    let error = match result {
        Ok(html) => panic!("expected an error at {file}:{line}, got output {html:?}"),
        Err(error) => error,
    };
    assert_eq!(
        (error.file.as_str(), error.line),
        (file, Some(line)),
        "{error}"
    );
    assert!(error.message.contains(message_part), "{error}");
    assert!(!error.missing, "{error}");
}

#[test]
fn unknown_variable_with_a_filter_is_an_error_naming_file_and_line() {
    let result = render(
        &[user(
            "page.html",
            "<h1>{{ page.title }}</h1>\n<p>{{ nope | upper }}</p>\n",
        )],
        "page.html",
    );
    check_error(result, "templates/page.html", 2, "`nope` is undefined");
}

#[test]
fn undefined_values_fail_when_printed_or_iterated_but_not_when_tested() {
    check_error(
        render(&[user("a.html", "\n\n{{ nope }}")], "a.html"),
        "templates/a.html",
        3,
        "undefined",
    );
    check_error(
        render(
            &[user("a.html", "{% for x in nope %}{% endfor %}")],
            "a.html",
        ),
        "templates/a.html",
        1,
        "undefined",
    );
    check_error(
        render(&[user("a.html", "{{ page.nope.deeper }}")], "a.html"),
        "templates/a.html",
        1,
        "undefined",
    );
    let guarded = "{% if nope %}x{% endif %}{% if nope is defined %}y{% endif %}{{ page.nope | default('ok') }}";
    assert_eq!(
        render(&[user("a.html", guarded)], "a.html"),
        Ok("ok".into())
    );
}

#[test]
fn user_template_overrides_builtin_and_partials_work() {
    let templates = [
        user(
            "page.html",
            "{% include \"partials/hello.html\" %}|{% for i in items %}{{ i }}{% endfor %}",
        ),
        user("partials/hello.html", "Hello {{ page.title }}"),
    ];
    assert_eq!(
        render(&templates, "page.html"),
        Ok("Hello Install|ab".into())
    );
    let engine = Templates::new(&templates);
    assert!(engine.exists("partials/hello.html"));
    assert!(engine.exists("section.html"), "built-ins stay available");
    assert!(!engine.exists("nope.html"));
}

#[test]
fn user_template_can_extend_the_builtin_it_replaces() {
    let templates = [
        user(
            "base.html",
            "<body>{% block content %}{% endblock %}</body>",
        ),
        user(
            "page.html",
            "{% extends \"theme/page.html\" %}{% block page_header %}<h1>Mine: {{ page.title }}</h1>{% endblock %}",
        ),
    ];
    let ctx = super::theme_tests::content_page_context();
    let html = Templates::new(&templates)
        .render("page.html", &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        html.starts_with("<body>"),
        "the built-in page extends the user's base: {html}"
    );
    assert!(html.contains("<h1>Mine: Installing the CLI</h1>"), "{html}");
    assert!(
        html.contains("Run the installer"),
        "the built-in body block is kept: {html}"
    );
}

#[test]
fn syntax_error_is_reported_by_every_render_that_needs_the_broken_template() {
    let templates = [
        user(
            "broken.html",
            "<p>fine</p>\n<p>still fine</p>\n{% if page.title %}\n{{ page.title }\n",
        ),
        user(
            "child.html",
            "{% extends \"broken.html\" %}\n{% block x %}{% endblock %}",
        ),
        user("includer.html", "one\n{% include \"broken.html\" %}"),
        user("ok.html", "{{ page.title }}"),
    ];
    check_error(
        render(&templates, "broken.html"),
        "templates/broken.html",
        4,
        "syntax error",
    );
    check_error(
        render(&templates, "child.html"),
        "templates/broken.html",
        4,
        "syntax error",
    );
    check_error(
        render(&templates, "includer.html"),
        "templates/broken.html",
        4,
        "syntax error",
    );
    assert_eq!(render(&templates, "ok.html"), Ok("Install".into()));
    assert!(Templates::new(&templates).exists("broken.html"));
}

#[test]
fn broken_override_of_a_builtin_does_not_fall_back_silently() {
    let templates = [user("page.html", "{% block content %}")];
    check_error(
        render(&templates, "page.html"),
        "templates/page.html",
        1,
        "syntax error",
    );
}

#[test]
fn runtime_error_in_an_included_partial_names_the_partial() {
    let templates = [
        user("page.html", "a\nb\n{% include \"partials/meta.html\" %}\n"),
        user(
            "partials/meta.html",
            "ok\n{{ page.title }}\n{{ page.missing_field | lower }}\n",
        ),
    ];
    check_error(
        render(&templates, "page.html"),
        "templates/partials/meta.html",
        3,
        "undefined",
    );
}

#[test]
fn runtime_error_in_a_parent_template_names_the_parent() {
    let templates = [
        user(
            "base.html",
            "<html>\n{% block body %}{% endblock %}\n{{ site.title }}\n</html>",
        ),
        user(
            "page.html",
            "{% extends \"base.html\" %}{% block body %}{{ page.title }}{% endblock %}",
        ),
    ];
    check_error(
        render(&templates, "page.html"),
        "templates/base.html",
        3,
        "`site` is undefined",
    );
}

#[test]
fn errors_in_builtin_templates_name_the_theme_file() {
    // The built-in page template needs `site`, `nav`...; an empty context fails inside it.
    let error = Templates::new(&[])
        .render("page.html", &context! {})
        .unwrap_err();
    assert!(error.file.starts_with("theme/"), "{error}");
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn missing_template_is_reported_as_missing() {
    let error = render(&[], "custom.html").unwrap_err();
    assert!(error.missing, "{error}");
    assert_eq!(error.file, "templates/custom.html");
    assert!(
        error.message.contains("`custom.html` does not exist"),
        "{error}"
    );

    // A missing include is an error of the including template, at the include.
    let templates = [user("page.html", "x\n{% include \"partials/gone.html\" %}")];
    check_error(
        render(&templates, "page.html"),
        "templates/page.html",
        2,
        "partials/gone.html",
    );
}

#[test]
fn template_syntax_in_content_is_output_literally() {
    let templates = [user("page.html", "{{ page.content }}")];
    assert_eq!(
        render(&templates, "page.html"),
        Ok("<p>{{ page.title }} {% raw %}</p>".into())
    );
}

#[test]
fn html_and_xml_are_escaped_other_files_are_not() {
    let templates = [
        user("a.html", "{{ '<&>' }}"),
        user(
            "quotes.html",
            "<a title=\"{{ '\"x' ~ \"' /y\" }}\">{{ none }}{{ 3 }}</a>",
        ),
        user("feed.xml", "{{ '<&>' }}"),
        user("robots.txt", "{{ '<&>' }}"),
    ];
    assert_eq!(render(&templates, "a.html"), Ok("&lt;&amp;&gt;".into()));
    // Quotes are escaped for attributes, `/` is left readable, `none` prints nothing.
    assert_eq!(
        render(&templates, "quotes.html"),
        Ok("<a title=\"&quot;x&#39; /y\">3</a>".into())
    );
    assert_eq!(render(&templates, "feed.xml"), Ok("&lt;&amp;&gt;".into()));
    assert_eq!(render(&templates, "robots.txt"), Ok("<&>".into()));
}

#[test]
fn error_display_is_location_first() {
    let error = TemplateError {
        file: "templates/a.html".into(),
        line: Some(3),
        message: "boom".into(),
        missing: false,
    };
    assert_eq!(error.to_string(), "templates/a.html:3: boom");
}

#[test]
fn templates_can_be_shared_by_render_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Templates>();
}

#[test]
fn later_user_template_of_the_same_name_wins() {
    let templates = [user("a.html", "first"), user("a.html", "second")];
    assert_eq!(render(&templates, "a.html"), Ok("second".into()));
}
