//! Which `.ftl` files make each language's catalogue. One file per area of
//! the product, the same names in `locales/vi/` and `locales/en/`; a new
//! area adds one line to each list.

/// (file name, its text) for Vietnamese.
pub const VI: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/vi/common.ftl")),
    ("clips.ftl", include_str!("../../locales/vi/clips.ftl")),
    ("station.ftl", include_str!("../../locales/vi/station.ftl")),
    ("check.ftl", include_str!("../../locales/vi/check.ftl")),
    ("cli.ftl", include_str!("../../locales/vi/cli.ftl")),
    ("layout.ftl", include_str!("../../locales/vi/layout.ftl")),
    (
        "programs.ftl",
        include_str!("../../locales/vi/programs.ftl"),
    ),
    ("home.ftl", include_str!("../../locales/vi/home.ftl")),
    (
        "stations.ftl",
        include_str!("../../locales/vi/stations.ftl"),
    ),
    ("admin.ftl", include_str!("../../locales/vi/admin.ftl")),
    ("reports.ftl", include_str!("../../locales/vi/reports.ftl")),
    ("tts.ftl", include_str!("../../locales/vi/tts.ftl")),
    ("public.ftl", include_str!("../../locales/vi/public.ftl")),
    ("errors.ftl", include_str!("../../locales/vi/errors.ftl")),
    ("chain.ftl", include_str!("../../locales/vi/chain.ftl")),
];

/// (file name, its text) for English.
pub const EN: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/en/common.ftl")),
    ("clips.ftl", include_str!("../../locales/en/clips.ftl")),
    ("station.ftl", include_str!("../../locales/en/station.ftl")),
    ("check.ftl", include_str!("../../locales/en/check.ftl")),
    ("cli.ftl", include_str!("../../locales/en/cli.ftl")),
    ("layout.ftl", include_str!("../../locales/en/layout.ftl")),
    (
        "programs.ftl",
        include_str!("../../locales/en/programs.ftl"),
    ),
    ("home.ftl", include_str!("../../locales/en/home.ftl")),
    (
        "stations.ftl",
        include_str!("../../locales/en/stations.ftl"),
    ),
    ("admin.ftl", include_str!("../../locales/en/admin.ftl")),
    ("reports.ftl", include_str!("../../locales/en/reports.ftl")),
    ("tts.ftl", include_str!("../../locales/en/tts.ftl")),
    ("public.ftl", include_str!("../../locales/en/public.ftl")),
    ("errors.ftl", include_str!("../../locales/en/errors.ftl")),
    ("chain.ftl", include_str!("../../locales/en/chain.ftl")),
];
