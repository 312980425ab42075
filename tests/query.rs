//! List options become a query string with brackets encoded as `%5B`/`%5D`.

use tfe_orgs::query::{encode, ListOptions};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_option_is_encoded_in_order() {
    let options = ListOptions {
        q: Some("acme corp".into()),
        q_name: Some("acme".into()),
        q_email: Some("ops+tfe@acme.io".into()),
        module_producer: Some(true),
        provider_producer: Some(false),
        include: vec!["owners".into()],
        page_number: Some(2),
        page_size: Some(100),
    };
    assert_eq!(
        options.to_query(),
        "q=acme%20corp&q%5Bname%5D=acme&q%5Bemail%5D=ops%2Btfe%40acme.io&filter%5Bmodule_producer%5D=true&filter%5Bprovider_producer%5D=false&include=owners&page%5Bnumber%5D=2&page%5Bsize%5D=100"
    );
    assert_eq!(ListOptions::default().to_query(), "");
    assert_eq!(ListOptions::page(1, 20).to_query(), "page%5Bnumber%5D=1&page%5Bsize%5D=20");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn path_segments_cannot_escape() {
    assert_eq!(encode("../admin"), "..%2Fadmin");
    assert_eq!(encode("a/b?x=1#y"), "a%2Fb%3Fx%3D1%23y");
    assert_eq!(encode("%2F"), "%252F");
    assert_eq!(encode("my-org_1.x~"), "my-org_1.x~");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn page_options_are_validated() {
    let errors = ListOptions { page_number: Some(0), page_size: Some(101), ..Default::default() }.validate();
    let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.rule.as_str())).collect();
    assert_eq!(fields, vec![("page[number]", "min"), ("page[size]", "range")]);
    assert!(ListOptions::page(1, 100).validate().is_empty());
}
