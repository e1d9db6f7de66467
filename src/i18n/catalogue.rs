//! Which `.ftl` files make each language's catalogue. One file per area of
//! the product, the same names in `locales/vi/` and `locales/en/`; a new
//! area adds one line to each list.

/// (file name, its text) for Vietnamese.
pub const VI: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/vi/common.ftl")),
    ("admin.ftl", include_str!("../../locales/vi/admin.ftl")),
    ("reports.ftl", include_str!("../../locales/vi/reports.ftl")),
];

/// (file name, its text) for English.
pub const EN: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/en/common.ftl")),
    ("admin.ftl", include_str!("../../locales/en/admin.ftl")),
    ("reports.ftl", include_str!("../../locales/en/reports.ftl")),
];
