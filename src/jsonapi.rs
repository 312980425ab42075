//! JSON:API envelopes as TFE speaks them: documents, resources, identifiers, links,
//! pagination meta and error objects, plus decoding that names the JSON path that broke.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A JSON object of attributes the typed structs do not know (TFE adds attributes often).
pub type Extra = BTreeMap<String, Value>;

/// The media type of every TFE request and response body.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// A resource type the model knows: decoding checks `data.type` against it.
pub trait ResourceKind {
    /// The JSON:API `type` values this attribute set belongs to.
    const TYPES: &'static [&'static str];
}

impl ResourceKind for Extra {
    const TYPES: &'static [&'static str] = &[];
}

/// A resource object: `{ id, type, attributes, relationships, links, meta }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource<A> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub attributes: A,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub relationships: BTreeMap<String, Relationship>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

impl<A: Default> Resource<A> {
    /// A resource with the given id, type and attributes and nothing else.
    pub fn new(id: impl Into<String>, kind: impl Into<String>, attributes: A) -> Self {
        Resource {
            id: id.into(),
            kind: kind.into(),
            attributes,
            relationships: BTreeMap::new(),
            links: None,
            meta: None,
        }
    }
}

impl<A> Resource<A> {
    /// The identifiers of a to-many relationship (empty when absent or null).
    pub fn related_ids(&self, relationship: &str) -> Vec<&ResourceIdentifier> {
        match self.relationships.get(relationship).and_then(|r| r.data.as_ref()) {
            Some(RelationshipData::Many(ids)) => ids.iter().collect(),
            Some(RelationshipData::One(id)) => vec![id],
            _ => Vec::new(),
        }
    }

    /// The identifier of a to-one relationship, when it is set.
    pub fn related_id(&self, relationship: &str) -> Option<&ResourceIdentifier> {
        match self.relationships.get(relationship)?.data.as_ref()? {
            RelationshipData::One(id) => Some(id),
            _ => None,
        }
    }

    /// The `related` link of a relationship, when present.
    pub fn related_link(&self, relationship: &str) -> Option<&str> {
        self.relationships.get(relationship)?.links.as_ref()?.related.as_deref()
    }
}

/// A resource in a request body: no id yet, `{ type, attributes }`. Our client always sends
/// both; reading one (the sandbox), `type` may be empty or absent (go-tfe sends `""` on the admin
/// update, which TFE accepts) and `attributes` absent (optional in JSON:API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewResource<A> {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub attributes: A,
}

/// A request body: `{ "data": … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body<D> {
    pub data: D,
}

/// `{ id, type }`: how JSON:API points at another resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct ResourceIdentifier {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl ResourceIdentifier {
    /// An identifier of an organization (the only kind the sharing endpoints take).
    pub fn organization(name: impl Into<String>) -> Self {
        ResourceIdentifier { id: name.into(), kind: "organizations".into() }
    }
}

/// A relationship: linkage data (to-one, to-many or null), links, or both.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Relationship {
    /// `None` when the member is absent; `Some(RelationshipData::Null)` for `"data": null`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub data: Option<RelationshipData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

/// A member that is present (even as `null`) is `Some`; `#[serde(default)]` makes absent `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Resource linkage of a relationship.
#[derive(Debug, Clone, PartialEq)]
pub enum RelationshipData {
    Null,
    One(ResourceIdentifier),
    Many(Vec<ResourceIdentifier>),
}

impl Serialize for RelationshipData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RelationshipData::Null => s.serialize_none(),
            RelationshipData::One(id) => id.serialize(s),
            RelationshipData::Many(ids) => ids.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RelationshipData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // By hand rather than an untagged enum: nothing is buffered, and a wrong value fails
        // where it stands (so its JSON pointer is its own).
        struct Linkage;
        impl<'de> serde::de::Visitor<'de> for Linkage {
            type Value = RelationshipData;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, a resource identifier {id, type} or an array of them")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<RelationshipData, E> {
                Ok(RelationshipData::Null)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<RelationshipData, E> {
                Ok(RelationshipData::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RelationshipData, D2::Error> {
                d.deserialize_any(Linkage)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RelationshipData, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element()? {
                    ids.push(id);
                }
                Ok(RelationshipData::Many(ids))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RelationshipData, A::Error> {
                ResourceIdentifier::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RelationshipData::One)
            }
        }
        d.deserialize_any(Linkage)
    }
}

/// Links of a document, resource or relationship. Any link may be null (`prev` on page 1).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Links {
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
}

/// The `page[number]` of a page link (`…?page%5Bnumber%5D=3&…` or `page[number]=3`).
fn page_number_of(link: &str) -> Option<u32> {
    let query = link.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.replace("%5B", "[").replace("%5b", "[").replace("%5D", "]").replace("%5d", "]");
        (key == "page[number]").then(|| value.trim().parse().ok()).flatten()
    })
}

/// Page links (those with `first`) are written with `null` for missing neighbours, as TFE
/// does; other links only with the members they have.
impl Serialize for Links {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let page = self.first.is_some();
        let mut map = serializer.serialize_map(None)?;
        for (key, value, always) in [
            ("self", &self.self_, false),
            ("related", &self.related, false),
            ("first", &self.first, false),
            ("prev", &self.prev, page),
            ("next", &self.next, page),
            ("last", &self.last, false),
        ] {
            if always || value.is_some() {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl Links {
    pub fn page(self_: String, first: String, prev: Option<String>, next: Option<String>, last: String) -> Self {
        Links { self_: Some(self_), related: None, first: Some(first), prev, next, last: Some(last) }
    }
}

/// `meta.pagination`: every field optional, because TFE omits some (`page-size` on several endpoints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Pagination {
    #[serde(default)]
    pub current_page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    #[serde(default)]
    pub prev_page: Option<u32>,
    #[serde(default)]
    pub next_page: Option<u32>,
    #[serde(default)]
    pub total_pages: Option<u32>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// Admin list `meta.status-counts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(from = "WireStatusCounts")]
pub struct StatusCounts {
    pub total: u64,
    pub active: u64,
    pub disabled: u64,
}

/// `status-counts` as read: a count TFE leaves out is 0. (Kept apart so that the TypeScript type
/// derived from [`StatusCounts`] has every count, not optional ones.)
#[derive(Deserialize)]
struct WireStatusCounts {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    active: u64,
    #[serde(default)]
    disabled: u64,
}

impl From<WireStatusCounts> for StatusCounts {
    fn from(w: WireStatusCounts) -> Self {
        StatusCounts { total: w.total, active: w.active, disabled: w.disabled }
    }
}

/// Top-level `meta`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    #[serde(rename = "status-counts", default, skip_serializing_if = "Option::is_none")]
    pub status_counts: Option<StatusCounts>,
}

/// A top-level document with primary data `D` (a resource or a list of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document<D> {
    pub data: D,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub included: Vec<Resource<Extra>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A document whose primary data is one resource.
pub type SingleDocument<A> = Document<Resource<A>>;
/// A document whose primary data is a list of resources.
pub type ListDocument<A> = Document<Vec<Resource<A>>>;

impl<D> Document<D> {
    pub fn new(data: D) -> Self {
        Document { data, included: Vec::new(), links: None, meta: None }
    }

    /// The pagination meta, when the response carried one.
    pub fn pagination(&self) -> Option<Pagination> {
        let meta = self.meta.as_ref().and_then(|m| m.pagination);
        // A next page that only `links.next` names (no meta, or meta without it) is still one:
        // a list read to its end follows it rather than stopping at page 1.
        let linked = self.links.as_ref().and_then(|l| l.next.as_deref()).and_then(page_number_of);
        match (meta, linked) {
            (Some(p), Some(n)) if p.next_page.is_none() && p.total_pages.is_none() => {
                Some(Pagination { next_page: Some(n), ..p })
            }
            (None, Some(n)) => Some(Pagination { next_page: Some(n), ..Default::default() }),
            (meta, _) => meta,
        }
    }

    /// The admin status counts, when the response carried them.
    pub fn status_counts(&self) -> Option<StatusCounts> {
        self.meta.as_ref()?.status_counts
    }

    /// Included resources of one type, decoded into typed attributes.
    pub fn included_of<A: ResourceKind + DeserializeOwned + Default>(&self) -> Result<Vec<Resource<A>>, DecodeError> {
        included_of(&self.included)
    }
}

/// The resources of type `A` among `included` (of a document or a page), decoded into typed
/// attributes; a broken one is named by its `/included/N` pointer.
pub fn included_of<A: ResourceKind + DeserializeOwned + Default>(
    included: &[Resource<Extra>],
) -> Result<Vec<Resource<A>>, DecodeError> {
    included
        .iter()
        .enumerate()
        .filter(|(_, r)| A::TYPES.contains(&r.kind.as_str()))
        .map(|(i, r)| {
            let value =
                serde_json::to_value(r).map_err(|e| DecodeError::new(format!("/included/{i}"), e.to_string()))?;
            from_value_at(value, &format!("/included/{i}"))
        })
        .collect()
}

/// An error document: `{ "errors": [ … ] }`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorDocument {
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// One JSON:API error object. TFE sometimes sends bare strings in `errors`; those become `title`.
/// In TypeScript `JsonApiError`, derived from this struct.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify), tsify(rename = "JsonApiError"))]
pub struct ErrorObject {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub source: Option<ErrorSource>,
}

impl ErrorObject {
    /// An error object pointing at a field of the request body.
    pub fn at_pointer(status: u16, title: &str, detail: impl Into<String>, pointer: impl Into<String>) -> Self {
        ErrorObject {
            status: Some(status.to_string()),
            code: None,
            title: Some(title.to_string()),
            detail: Some(detail.into()),
            source: Some(ErrorSource { pointer: Some(pointer.into()), parameter: None }),
        }
    }

    /// The `source.pointer`, when the server named a field.
    pub fn pointer(&self) -> Option<&str> {
        self.source.as_ref()?.pointer.as_deref()
    }
}

impl<'de> Deserialize<'de> for ErrorObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default, deserialize_with = "string_or_number")]
            status: Option<String>,
            #[serde(default, deserialize_with = "string_or_number")]
            code: Option<String>,
            #[serde(default)]
            title: Option<String>,
            #[serde(default)]
            detail: Option<String>,
            #[serde(default)]
            source: Option<ErrorSource>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Object(Object),
        }
        match Either::deserialize(d).map_err(|_| serde::de::Error::custom("expected an error object or a string"))? {
            Either::Text(title) => Ok(ErrorObject { title: Some(title), ..Default::default() }),
            Either::Object(o) => {
                Ok(ErrorObject { status: o.status, code: o.code, title: o.title, detail: o.detail, source: o.source })
            }
        }
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// `source` of an error object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct ErrorSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub pointer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub parameter: Option<String>,
}

/// A response or body that could not be decoded, with the JSON pointer of the value that broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode {}: {message}", if path.is_empty() { "the document" } else { path.as_str() })]
pub struct DecodeError {
    /// JSON pointer (RFC 6901) of the value that broke, `""` for the whole document.
    pub path: String,
    pub message: String,
}

impl DecodeError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError { path: path.into(), message: message.into() }
    }
}

/// Decode any JSON text, naming the JSON pointer of the value that broke.
///
/// One pass of plain serde_json: no per-key bookkeeping on the happy path. When it fails, the
/// position serde_json reports is walked back to a JSON pointer by [`pointer_at`], a small
/// scanner that is not generic over `T` (so it costs no code per model, unlike path-tracking
/// deserializer wrappers).
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|e| {
        let offset = byte_offset(text, e.line(), e.column());
        DecodeError::new(pointer_at(text, offset), e.to_string())
    })
}

fn from_value_at<T: DeserializeOwned>(value: Value, base: &str) -> Result<T, DecodeError> {
    // Through text on purpose: it reuses the one `from_str` decoder of each model (positions
    // for the pointer included), where `T::deserialize(&value)` would add a second decoder per
    // model to the wasm. Included resources are few.
    decode(&value.to_string()).map_err(|e| DecodeError::new(format!("{base}{}", e.path), e.message))
}

/// The byte offset of a 1-based line and column as serde_json reports them (column in bytes).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (line_start + column).min(text.len())
}

/// One open container while scanning.
enum Frame {
    /// The key being read or whose value is being read; `after_colon` once its value started.
    Object {
        key: Option<String>,
        after_colon: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON pointer of the value being read at byte `end` of `text`: the keys and indices of
/// the containers open there. Tolerates malformed text (it only tracks structure).
pub fn pointer_at(text: &str, end: usize) -> String {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, after_colon: false }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, after_colon }) => {
                    *key = None;
                    *after_colon = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, after_colon: false }) = stack.last_mut() {
                    let raw = &text[start..j.min(bytes.len())];
                    *key =
                        Some(serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string()));
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => out.push_str(&format!("/{index}")),
        }
    }
    out
}

fn check_kind<A: ResourceKind>(kind: &str, path: String) -> Result<(), DecodeError> {
    if A::TYPES.is_empty() || A::TYPES.contains(&kind) {
        Ok(())
    } else {
        Err(DecodeError::new(path, format!("expected type {}, found \"{kind}\"", ExpectedTypes(A::TYPES))))
    }
}

struct ExpectedTypes(&'static [&'static str]);

impl fmt::Display for ExpectedTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "\"{t}\"")?;
        }
        Ok(())
    }
}

/// Decode a document whose primary data is one resource of type `A`.
pub fn decode_single<A: ResourceKind + DeserializeOwned + Default>(
    text: &str,
) -> Result<SingleDocument<A>, DecodeError> {
    let doc: SingleDocument<A> = decode(text)?;
    check_kind::<A>(&doc.data.kind, "/data/type".into())?;
    Ok(doc)
}

/// Decode a document whose primary data is a list of resources of type `A`.
pub fn decode_list<A: ResourceKind + DeserializeOwned + Default>(text: &str) -> Result<ListDocument<A>, DecodeError> {
    let doc: ListDocument<A> = decode(text)?;
    for (i, r) in doc.data.iter().enumerate() {
        check_kind::<A>(&r.kind, format!("/data/{i}/type"))?;
    }
    Ok(doc)
}

/// Decode an error document; a body that is not one yields an empty list.
pub fn decode_errors(text: &str) -> Vec<ErrorObject> {
    decode::<ErrorDocument>(text).map(|d| d.errors).unwrap_or_default()
}

/// Decode a request body `{ data: { type, attributes } }` of type `A`, as the sandbox does (as
/// TFE does: an empty or absent `type` is taken for the endpoint's own, a wrong one refused).
pub fn decode_new_resource<A: ResourceKind + DeserializeOwned + Default>(text: &str) -> Result<A, DecodeError> {
    let body: Body<NewResource<A>> = decode(text)?;
    if !body.data.kind.is_empty() {
        check_kind::<A>(&body.data.kind, "/data/type".into())?;
    }
    Ok(body.data.attributes)
}

/// Serialize a request body `{ data: { type, attributes } }`.
pub fn encode_new_resource<A: ResourceKind + Serialize>(attributes: &A) -> String {
    let body = Body { data: NewResource { kind: A::TYPES[0].to_string(), attributes } };
    serde_json::to_string(&body).expect("request bodies are plain JSON values")
}
