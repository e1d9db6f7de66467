//! Which `.ftl` files make each language's catalogue. One file per area of
//! the product, the same names in `locales/vi/` and `locales/en/`; a new
//! area adds one line to each list.

/// (file name, its text) for Vietnamese.
pub const VI: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/vi/common.ftl")),
    ("home.ftl", include_str!("../../locales/vi/home.ftl")),
    (
        "stations.ftl",
        include_str!("../../locales/vi/stations.ftl"),
    ),
];

/// (file name, its text) for English.
pub const EN: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/en/common.ftl")),
    ("home.ftl", include_str!("../../locales/en/home.ftl")),
    (
        "stations.ftl",
        include_str!("../../locales/en/stations.ftl"),
    ),
];
