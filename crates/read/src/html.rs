//! HTML pages: the main article text (Readability via dom_smoothie, with a scraper-based fallback) and
//! the page's metadata (title, author, publication date).
//!
//! The article text is built from the article's HTML, block by block: every paragraph-like element
//! (`p`, headings, list items, `blockquote`, table rows, …) becomes a paragraph, paragraphs are separated
//! by `\n\n`, whitespace inside a paragraph is collapsed (except in `pre`), `<br>` is a `\n`, and
//! entities are decoded. Scripts, styles, comments and form controls never contribute text.

use crate::StatedDate;
use crate::dates::find_date;
use crate::flatten;
use crate::guard;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;
use std::sync::LazyLock;

/// What is read from an HTML page.
pub(crate) struct Page {
    pub(crate) text: String,
    pub(crate) title: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) stated_date: Option<StatedDate>,
    pub(crate) warnings: Vec<String>,
}

/// Deeper trees than this skip Readability (whose algorithms recurse) and use the fallback extractor.
const MAX_READABILITY_DEPTH: usize = 256;

/// Elements whose content is never text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "embed", "canvas", "button", "select", "option", "textarea", "input", "audio", "video", "map",
    "link", "meta", "base",
];

/// Page furniture left out of the article text wherever it is.
const FURNITURE: &[&str] = &["nav", "footer", "aside", "form", "menu", "dialog"];

/// What the text walk leaves out besides scripts, styles and hidden elements.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Furniture {
    /// Navigation, footers, sidebars and forms (by tag or ARIA role): what may remain in
    /// Readability's output.
    Tagged,
    /// Also page headers and elements whose class or id names furniture (`sidebar`, `share`, …):
    /// for the fallback, which walks the whole page.
    All,
}

/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
];

/// Words in `class`/`id` attributes that mark page furniture for the fallback extractor.
const FURNITURE_NAMES: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "sidebar",
    "breadcrumb",
    "cookie",
    "share",
    "social",
    "related",
    "advert",
    "promo",
    "newsletter",
    "comment",
    "subscribe",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Reads the article text and metadata of a page.
///
/// # Errors
/// The page has no text at all.
pub(crate) fn extract(source: &str) -> Result<Page, String> {
    let mut warnings = Vec::new();
    let flattened = flatten::flatten_deep_nesting(source);
    if flattened.is_some() {
        warnings.push(format!(
            "HTML nested more than {} elements deep: the structure below that depth was ignored",
            flatten::MAX_DEPTH
        ));
    }
    let source = flattened.as_deref().unwrap_or(source);
    let doc = Html::parse_document(source);
    let meta = harvest_metadata(&doc);
    let mut title = None;
    let mut byline = None;
    let mut text = String::new();
    if tree_depth(&doc) <= MAX_READABILITY_DEPTH {
        match readability(source) {
            Ok(article) => {
                title = non_empty(&article.title);
                byline = article.byline.as_deref().and_then(non_empty);
                let content = Html::parse_fragment(&article.content);
                text = element_text(content.root_element(), Furniture::Tagged);
            }
            Err(Failure::Panicked(message)) => {
                warnings.push(format!(
                    "Readability failed ({message}); the text was extracted without it"
                ));
            }
            Err(Failure::NoArticle) => {}
        }
    }
    if text.trim().is_empty() {
        text = fallback_text(&doc);
    }
    if text.trim().is_empty() {
        return Err("no text in HTML document".to_string());
    }
    Ok(Page {
        text,
        title: meta.title.or(title).or(meta.html_title),
        author: byline.or(meta.author),
        stated_date: meta.date,
        warnings,
    })
}

/// Why Readability gave no article.
enum Failure {
    /// It found none (or refused the page).
    NoArticle,
    /// It panicked, with this message.
    Panicked(String),
}

fn readability(source: &str) -> Result<dom_smoothie::Article, Failure> {
    let run = || -> Result<dom_smoothie::Article, dom_smoothie::ReadabilityError> {
        let cfg = dom_smoothie::Config::default();
        let mut reader = dom_smoothie::Readability::new(source, None, Some(cfg))?;
        reader.parse()
    };
    match guard::run_guarded(run) {
        Ok(Ok(article)) => Ok(article),
        Ok(Err(_)) => Err(Failure::NoArticle),
        Err(message) => Err(Failure::Panicked(message)),
    }
}

/// The depth of the deepest node.
fn tree_depth(doc: &Html) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(doc.tree.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for child in node.children() {
            stack.push((child, depth + 1));
        }
    }
    deepest
}

static ARTICLE: LazyLock<Selector> = LazyLock::new(|| selector("article"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main, [role=main]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static ITEMPROP_DATE: LazyLock<Selector> = LazyLock::new(|| selector("[itemprop]"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| selector("script[type]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));

fn selector(s: &str) -> Selector {
    // Constant selectors, covered by the tests.
    Selector::parse(s).expect("constant selector parses")
}

/// Paragraphs of the page's main element (the `article` with the most text, else `main`, else
/// `body`), leaving out page furniture.
fn fallback_text(doc: &Html) -> String {
    let longest_article = doc
        .select(&ARTICLE)
        .max_by_key(|a| a.text().map(str::len).sum::<usize>());
    let root = longest_article
        .or_else(|| doc.select(&MAIN).next())
        .or_else(|| doc.select(&BODY).next())
        .unwrap_or_else(|| doc.root_element());
    let text = element_text(root, Furniture::All);
    if text.trim().is_empty() && root != doc.root_element() {
        element_text(doc.root_element(), Furniture::All)
    } else {
        text
    }
}

/// Builds paragraphs of text from a tree walk.
#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
    pending_space: bool,
    in_pre: usize,
    /// The current paragraph has preformatted text.
    current_pre: bool,
}

impl TextBuilder {
    fn push_text(&mut self, s: &str) {
        if self.in_pre > 0 {
            self.current.push_str(&s.replace('\r', ""));
            self.pending_space = false;
            self.current_pre = true;
            return;
        }
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.current.is_empty() && !self.current.ends_with('\n') {
                    self.current.push(' ');
                }
                self.pending_space = false;
                self.current.push(c);
            }
        }
    }

    fn line_break(&mut self) {
        self.current.push('\n');
        self.pending_space = false;
    }

    fn end_paragraph(&mut self) {
        let paragraph = std::mem::take(&mut self.current);
        self.pending_space = false;
        let pre = std::mem::take(&mut self.current_pre);
        let lines: Vec<&str> = if pre {
            // Preformatted text keeps its indentation; only blank lines at its ends go.
            let lines: Vec<&str> = paragraph.split('\n').map(str::trim_end).collect();
            let first = lines.iter().position(|l| !l.is_empty());
            let last = lines.iter().rposition(|l| !l.is_empty());
            match (first, last) {
                (Some(first), Some(last)) => lines[first..=last].to_vec(),
                _ => Vec::new(),
            }
        } else {
            paragraph
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect()
        };
        if !lines.is_empty() {
            self.paragraphs.push(lines.join("\n"));
        }
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n")
    }
}

enum Step<N> {
    Open(N),
    Close { block: bool, pre: bool },
}

/// The text of an element, as paragraphs separated by `\n\n`, leaving out `furniture`.
fn element_text(root: ElementRef<'_>, furniture: Furniture) -> String {
    let mut out = TextBuilder::default();
    let mut stack = vec![Step::Open(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Close { block, pre } => {
                if pre {
                    out.in_pre = out.in_pre.saturating_sub(1);
                }
                if block {
                    out.end_paragraph();
                }
                continue;
            }
            Step::Open(node) => node,
        };
        match node.value() {
            Node::Text(t) => out.push_text(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) || is_hidden(e) {
                    continue;
                }
                if is_furniture(e, furniture) {
                    continue;
                }
                match name {
                    "br" => {
                        out.line_break();
                        continue;
                    }
                    "td" | "th" => out.pending_space = true,
                    _ => {}
                }
                let block = BLOCKS.contains(&name);
                let pre = name == "pre";
                if block {
                    out.end_paragraph();
                }
                if pre {
                    out.in_pre += 1;
                }
                stack.push(Step::Close { block, pre });
                for child in node.children().rev() {
                    stack.push(Step::Open(child));
                }
            }
            _ => {}
        }
    }
    out.finish()
}

fn is_hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || e.attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

fn is_furniture(e: &scraper::node::Element, furniture: Furniture) -> bool {
    if FURNITURE.contains(&e.name()) {
        return true;
    }
    if e.attr("role")
        .is_some_and(|r| FURNITURE_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if furniture == Furniture::Tagged {
        return false;
    }
    if e.name() == "header" {
        return true;
    }
    let names = format!(
        "{} {}",
        e.attr("class").unwrap_or(""),
        e.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    names
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| FURNITURE_NAMES.contains(&word))
}

/// Metadata found in `<head>` and structured data.
#[derive(Default)]
struct Metadata {
    /// JSON-LD `headline` or `og:title`.
    title: Option<String>,
    /// `<title>`.
    html_title: Option<String>,
    author: Option<String>,
    date: Option<StatedDate>,
}

/// Reads title, author and publication date from `<meta>`, JSON-LD, `itemprop` and `<time>`. Dates are
/// taken in this order: `article:published_time`, `<meta name="date">` (and Dublin Core variants),
/// `itemprop="datePublished"`, JSON-LD `datePublished`, the first `<time datetime>`.
fn harvest_metadata(doc: &Html) -> Metadata {
    let mut meta = Metadata::default();
    let mut published: Option<jiff::civil::Date> = None;
    let mut meta_date: Option<jiff::civil::Date> = None;
    let mut og_title = None;
    let mut meta_author = None;
    for el in doc.select(&META) {
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(content) = el.attr("content").map(str::trim) else {
            continue;
        };
        match key.as_str() {
            "article:published_time" | "og:published_time" | "published_time" => {
                published = published.or_else(|| date_in(content));
            }
            "date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "dcterms.issued"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "citation_publication_date" => {
                meta_date = meta_date.or_else(|| date_in(content));
            }
            "og:title" | "twitter:title" => og_title = og_title.or_else(|| non_empty(content)),
            // `article:author` is often a profile URL rather than a name.
            "author" | "article:author" | "dc.creator" | "byl" if !content.starts_with("http") => {
                meta_author = meta_author.or_else(|| non_empty(content));
            }
            _ => {}
        }
    }
    let itemprop_date = doc
        .select(&ITEMPROP_DATE)
        .filter(|el| {
            el.attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datepublished"))
        })
        .find_map(|el| {
            let value = el
                .attr("content")
                .or_else(|| el.attr("datetime"))
                .map(str::to_string)
                .unwrap_or_else(|| el.text().collect());
            date_in(&value)
        });
    let mut ld = LinkedData::default();
    for el in doc.select(&JSON_LD) {
        let is_ld = el
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let json: String = el.text().collect();
        if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
            ld.visit(&value, 0);
        }
    }
    let time_date = doc
        .select(&TIME)
        .find_map(|el| el.attr("datetime").and_then(date_in));
    let dated = |date: Option<jiff::civil::Date>, source: &str| {
        date.map(|date| StatedDate {
            date,
            source: source.to_string(),
            start: None,
            end: None,
        })
    };
    meta.date = dated(published, "meta article:published_time")
        .or_else(|| dated(meta_date, "meta date"))
        .or_else(|| dated(itemprop_date, "meta datePublished"))
        .or_else(|| dated(ld.date, "json-ld datePublished"))
        .or_else(|| dated(time_date, "time element"));
    meta.title = ld.headline.or(og_title);
    meta.html_title = doc
        .select(&TITLE)
        .next()
        .and_then(|t| non_empty(&t.text().collect::<String>()));
    meta.author = meta_author.or(ld.author);
    meta
}

/// What JSON-LD says about the article.
#[derive(Default)]
struct LinkedData {
    date: Option<jiff::civil::Date>,
    headline: Option<String>,
    author: Option<String>,
}

impl LinkedData {
    /// Visits objects, arrays and `@graph` arrays; the first value of each kind wins.
    fn visit(&mut self, value: &Value, depth: usize) {
        if depth > 16 {
            return;
        }
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.visit(v, depth + 1)),
            Value::Object(map) => {
                if self.date.is_none()
                    && let Some(Value::String(s)) = map.get("datePublished")
                {
                    self.date = date_in(s);
                }
                if self.headline.is_none()
                    && let Some(Value::String(s)) = map.get("headline")
                {
                    self.headline = non_empty(s);
                }
                if self.author.is_none()
                    && let Some(author) = map.get("author")
                {
                    self.author = author_names(author);
                }
                if let Some(graph) = map.get("@graph") {
                    self.visit(graph, depth + 1);
                }
                if let Some(main) = map.get("mainEntity") {
                    self.visit(main, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// `"Jane Roe"`, `{"name": "Jane Roe"}` or a list of either, as `Jane Roe, Ann Smith`.
fn author_names(value: &Value) -> Option<String> {
    let name = |v: &Value| match v {
        Value::String(s) => non_empty(s),
        Value::Object(m) => m.get("name").and_then(Value::as_str).and_then(non_empty),
        _ => None,
    };
    match value {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => name(other),
    }
}

fn date_in(s: &str) -> Option<jiff::civil::Date> {
    find_date(s).map(|f| f.date)
}

/// Whitespace collapsed; `None` when nothing is left.
fn non_empty(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn text_builder_paragraphs_and_breaks() {
        let doc = Html::parse_fragment(
            "<div><p>One  <b>two</b>\n three</p><p>four<br>five</p><ul><li>six</li><li> seven </li></ul><pre>a  b\n c</pre><table><tr><td>x</td><td>y</td></tr></table></div>",
        );
        assert_eq!(
            element_text(doc.root_element(), Furniture::Tagged),
            "One two three\n\nfour\nfive\n\nsix\n\nseven\n\na  b\n c\n\nx y"
        );
    }

    #[test]
    fn fallback_leaves_out_furniture() {
        let doc = Html::parse_document(
            "<body><nav>Home News</nav><div class='main'><p>Kept text.</p><div class='share-buttons'>Share</div></div><footer>(c) Someone</footer><script>var x;</script></body>",
        );
        assert_eq!(fallback_text(&doc), "Kept text.");
    }

    #[test]
    fn metadata_in_order_of_preference() {
        let doc = Html::parse_document(
            r#"<html><head><title>Page</title>
            <meta name="date" content="2020-01-01">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"Talks","datePublished":"2024-03-12T10:00:00+04:00","author":[{"name":"Jane Roe"},{"name":"Ann Smith"}]}]}</script>
            </head><body><time datetime="2019-05-05">then</time></body></html>"#,
        );
        let m = harvest_metadata(&doc);
        let d = m.date.unwrap();
        assert_eq!((d.date, d.source.as_str()), (date(2020, 1, 1), "meta date"));
        assert_eq!(m.title.as_deref(), Some("Talks"));
        assert_eq!(m.html_title.as_deref(), Some("Page"));
        assert_eq!(m.author.as_deref(), Some("Jane Roe, Ann Smith"));
    }

    #[test]
    fn json_ld_and_time_dates() {
        let doc = Html::parse_document(
            r#"<script type="application/ld+json">[{"@type":"Article","datePublished":"2024-03-12"}]</script><time datetime="2019-05-05">x</time>"#,
        );
        let d = harvest_metadata(&doc).date.unwrap();
        assert_eq!(
            (d.date, d.source.as_str()),
            (date(2024, 3, 12), "json-ld datePublished")
        );
        let doc = Html::parse_document(r#"<p><time datetime="2019-05-05T10:00">x</time></p>"#);
        let d = harvest_metadata(&doc).date.unwrap();
        assert_eq!(
            (d.date, d.source.as_str()),
            (date(2019, 5, 5), "time element")
        );
    }
}
