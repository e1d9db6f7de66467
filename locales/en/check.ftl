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

check-cannot-read = Cannot read the config file { $path }: { $error }; check the path (--config or LOA_CONFIG) and its permissions.
check-not-utf8 = The config file is not UTF-8 text: save it as UTF-8 (most editors offer "UTF-8" in Save As).
check-no-station = The config has no [station] table: add one with at least its name, e.g. [station] name = "Đài truyền thanh xã Phước Dinh".
check-section-not-table = `{ $key }` must be a table written [{ $key }] on its own line, followed by its keys (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-program-brackets = Write programs as [[program]] (double brackets), one such table per program.
check-programs-not-tables = Programs are written as [[program]] tables (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-program-not-table = Each program is a [[program]] table with id, a schedule and play.
check-duplicate-key = Duplicate key `{ $key }`: a key (or a [table]) may appear only once; merge the two or remove one.
check-invalid-toml-quote = Invalid TOML here: put text in double quotes, e.g. name = "Đài".
check-file-missing = Clip file not found: { $path } (file names in `play` are looked up under [paths] clips = { $clips }).
check-file-missing-skip = Clip file not found: { $path } (file names in `play` are looked up under [paths] clips = { $clips }); the station will skip this item when it airs.
check-file-not-file = { $path } is not a file (a folder?): name an audio file.
check-file-not-file-skip = { $path } is not a file (a folder?): name an audio file; the station will skip this item when it airs.
check-cannot-decode = Cannot decode { $path }: { $error }; check the file plays and is { $formats }.
check-unknown-key = Unknown key `{ $key }` here; valid keys here: { $keys }.
check-unknown-key-hint = Unknown key `{ $key }` here: did you mean `{ $best }`?
check-unknown-key-section = Unknown key `{ $key }` here: `{ $key }` belongs in { $section }.
check-wrong-type = `{ $key }` must be { $want ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $want }
    }, e.g. { $example } (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-empty = `{ $key }` is empty: write e.g. { $example }.
check-empty-string = Empty string in `{ $key }`: write e.g. { $example }.
check-whole-number-range = `{ $key }` must be a whole number from 0 to { $max }, e.g. { $example }.
check-volume-percent = `{ $key }` is a number from 0.0 to 1.0, not a percentage: write { $key } = { $fraction } for { $value }.
check-volume-range = `{ $key }` = { $value } is out of range: it is a fraction from 0.0 (silent) to 1.0 (full), e.g. { $example }.
check-not-string-element = Every element of `{ $key }` must be a string, e.g. { $example } (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-duration-no-unit = `{ $key }` needs a unit, in quotes: write "{ $n }s" for seconds or "{ $n }m" for minutes.
check-duration-invalid = `{ $key }`: "{ $value }" is not a duration: write e.g. "90s", "15m", "1h30m" or "500ms" (units d, h, m, s, ms; each once, largest first).
check-duration-zero = `{ $key }` must be longer than 0s, e.g. { $key } = "2m".
check-date-invalid = `{ $key }`: "{ $value }" is not a calendar date: write "YYYY-MM-DD", e.g. "2026-01-31".
check-times-as-strings = `{ $key }` takes times of day as strings, e.g. { $key } = ["05:00", "17:00"] (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-item-kind = Each `{ $key }` item is a file name or an inline table, e.g. { $forms } (found { $found ->
        [string] a string
        [integer] an integer
        [number] a number
        [boolean] a boolean
        [datetime] a date/time
        [array] an array
        [table] a table
        [lufs] a LUFS number or "off"
        [size] a size
        [whole-number] a whole number
       *[other] { $found }
    }).
check-item-empty-name = Empty file name in the play list: write e.g. { $forms }.
check-item-url = "{ $url }" is a URL, not a file: to relay a stream write { $example }.
check-item-empty = Empty play item: write e.g. { $forms }.
check-item-no-kind = This play item says neither `silence`, `category`, `clip` nor `stream`: write e.g. { $forms }.
check-item-two-kinds = A play item is one thing: this one has both `{ $first }` and `{ $second }`; split it into two items.
check-count-zero = `count` must be at least 1, e.g. { $example }.
check-stream-not-http = The stream "{ $url }" must be an http:// or https:// URL, e.g. { $example }.
check-stream-spaces = The stream "{ $url }" is not a valid URL: it contains spaces or control characters.
check-stream-no-host = The stream "{ $url }" has no host name, e.g. { $example }.
check-stream-invalid = The stream "{ $url }" is not a valid URL, e.g. { $example }.
check-stream-credentials = The stream "{ $url }" must not carry a user name or password.
check-stream-no-fallback = This stream has no `fallback`: if it cannot be relayed or stays silent, nothing airs in its window; add e.g. fallback = [ ... ] with a category or a clip.
check-two-schedules = The program has both `{ $first }` and `{ $other }`: keep exactly one of `at`, `cron`, `on_start` (make a second program for another schedule).
check-cron-five-fields = The cron expression "{ $expr }" has 5 fields, like a crontab line, but cron here is seconds-first: try "{ $suggestion }".
check-cron-invalid = Invalid cron expression "{ $expr }": expected 6 or 7 fields, seconds first (sec min hour day-of-month month day-of-week [year]), e.g. "0 0 5 * * Mon-Sat" for 05:00 Monday to Saturday.
check-cron-dow = Cron counts day-of-week from 1 = Sunday to 7 = Saturday, so "{ $dow }" means "{ $names }" here; write day names to be clear.
check-cron-dow-crontab = Cron counts day-of-week from 1 = Sunday to 7 = Saturday, so "{ $dow }" means "{ $names }" here; write day names to be clear ("{ $crontab }" if you meant crontab numbering).
check-cron-dow-unusual = Cron counts day-of-week from 1 = Sunday to 7 = Saturday, so "{ $dow }" means something unusual here; write day names to be clear.
check-cron-dow-unusual-crontab = Cron counts day-of-week from 1 = Sunday to 7 = Saturday, so "{ $dow }" means something unusual here; write day names to be clear ("{ $crontab }" if you meant crontab numbering).
check-language-invalid = `language`: "{ $value }" is not a language of the command line: write "vi" or "en".
check-timezone-unknown = Unknown timezone "{ $value }": write an IANA name like "Asia/Ho_Chi_Minh" (Vietnam), or leave `timezone` out to use the system's zone.
check-device-wav-path = `device` "wav:" needs a file path, e.g. device = "wav:/tmp/on-air.wav".
check-quiet-invalid = `quiet_hours`: "{ $value }" is not a window of two different times: write "HH:MM-HH:MM", e.g. "21:30-05:00".
check-quiet-overlap = Quiet hours "{ $value }" overlap "{ $other }" (line { $line }): merge them into one window.
check-command-empty = `{ $key }` is empty: give the command and its arguments, e.g. { $example }, or remove the key.
check-command-name-empty = `{ $key }`: the command name is empty, e.g. { $example }.
check-loudness-text = `loudness` = "{ $value }": expected a LUFS number or "off", e.g. { $example }.
check-loudness-range = `loudness` = { $value } is out of range: LUFS targets are between -70 and 0, e.g. { $example }.
check-feed-not-table = Each `[[feed]]` must be a table with `url` and `public_key`.
check-feed-url-scheme = `url` "{ $url }" must start with http://, https:// or file://, e.g. { $example }.
check-size-negative = `max_store` must be a positive size, e.g. { $example }.
check-size-invalid = `max_store`: "{ $value }" is not a size: write a number and a unit (B, kB, MB, GB, TB or KiB, MiB, GiB, TiB), e.g. "4GiB".
check-hub-config = The hub config file has an error: { $detail }
