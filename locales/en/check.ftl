# Config problems reported by `loa check` and the programs editor (check-… codes with arguments).
check-warning = warning:
check-summary-errors = loa: the config has { $n } error(s); nothing was changed
check-program-id-invalid = Program id "{ $id }" is not valid: use only lowercase letters a-z, digits and '-'.
check-program-id-invalid-hint = Program id "{ $id }" is not valid: use only lowercase letters a-z, digits and '-', e.g. "{ $hint }".
check-until-before-from = The end date { $until } is before the start date { $from }: the program would never air; swap them or fix the dates.
check-no-schedule = The program has no schedule: add exactly one of `at` (times of day), `cron` or `on_start`.
check-at-empty = No time of day given: give one or more, e.g. 05:00, 17:00.
check-at-twice = { $time } is listed twice: it airs once.
check-days-empty = No day is chosen, so the program would never air: choose at least one day (Mon…Sun).
check-day-invalid = "{ $value }" is not a day of the week: use mon, tue, wed, thu, fri, sat, sun.
check-play-empty = The play list is empty: the program needs at least one item (a file, a clip, a category…).
check-missing-key = `{ $key }` is missing: add e.g. { $example }.
check-time-invalid = "{ $value }" is not a time of day: write e.g. 05:00, 11:30 or 17:45:30.
check-only-programs = `{ $key }` is not allowed here: a station's timetable from the hub holds only [[program]] tables.
check-station-no-file = The station has no clip file "{ $name }" in its clips folder: copy it onto the station, or pick one it has.
check-clip-unknown = No approved clip "{ $id }" reaches this station: upload and approve it for the station's areas first, or check the id.
check-file-name-only = A timetable from the hub names station clips by file name only (e.g. "chime.ogg"): no folders, no paths, no hidden files.
check-duplicate-id = Duplicate program id "{ $id }": the program at line { $line } already uses it; give each program its own id.
check-no-programs = The config has no [[program]]: nothing will air.
check-invalid-toml = Invalid TOML here (a missing quote, bracket or "="): fix this line.
