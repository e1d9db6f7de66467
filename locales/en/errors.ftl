# The hub's refusals (an HTTP error and its reason), by the source file that gives them.
err-internal = internal error; it is in the hub's log

# src/hub/heartbeat.rs
err-bad-heartbeat-field-must-be = bad heartbeat: field `{ $field }` must be { $want }
err-bad-heartbeat-field-own-programs = bad heartbeat: field `own_programs` must be [[program]] tables in TOML ({ $why })
err-no-station-lies-outside-your = no station { $id }, or it lies outside your areas

# src/hub/chain.rs
err-only-admin-may-acknowledge-as = only an admin may acknowledge an as-run chain break
err-field-note-say-why-1 = field `note`: say why (1–{ $max_note } characters), e.g. the station's card was replaced
err-chain-not-broken = the station's as-run chain is not broken: there is nothing to acknowledge
err-chain-break-acknowledged-meanwhile = this break was just acknowledged by someone else

# src/hub/reports.rs
err-must-be-date-yyyy-mm = `{ $name }` must be a date YYYY-MM-DD, e.g. 2026-11-01

# src/hub/outage.rs
err-database-unavailable = the database cannot be reached right now; please try again later
err-disk-full = the hub's disk is full; nothing was stored. Ask the administrator to free space, then try again

# src/hub/clips.rs
err-not-date-yyyy-mm-dd = { $name } `{ $s }` is not a date (YYYY-MM-DD)
err-title-needs-1-200-characters = the title needs 1–200 characters and no control characters
err-language-code-invalid-vi-cjm = language code `{ $lang }` is invalid (e.g. vi, cjm)
err-level-invalid-normal-priority-emergencies = level `{ $level }` is invalid: normal or priority (emergencies are pushed broadcasts)
err-valid-from-after-valid-until = valid_from { $f } is after valid_until { $u }
err-no-audio-file-field-file = no audio file (field `file`)
err-clip-id-already-taken-choose = clip id `{ $id }` is already taken: choose another id
err-broadcast-plays-clip-withdraw-broadcast = broadcast `{ $b }` plays this clip: withdraw the broadcast first
err-only-clip-s-author-submits = only the clip's author submits it

# src/hub/upload.rs
err-upload-was-cut-off-malformed = the upload was cut off or is malformed; nothing was stored ({ $body_text })
err-file-over-mib-limit-max = the file is over the { $mib } MiB limit (max_upload)
err-upload-one-file-at-time = upload one file at a time
err-file-empty = the file is empty
err-file-not-supported-audio-format = the file is not a supported audio format (WAV, MP3, Ogg Vorbis, FLAC, AAC/M4A)
err-field-too-long = field `{ $name }` is too long
err-field-not-utf-8 = field `{ $name }` is not UTF-8

# src/hub/areas.rs
err-area-code-not-in-list = area code `{ $c }` is not in the list of administrative units: import it with `loa hub areas import`

# src/hub/broadcasts.rs
err-give-at-now-not-both = give `at` or `now`, not both
err-give-at-rfc-3339-now = give `at` (RFC 3339) or `now: true`
err-at-not-rfc-3339-2026 = `at` { $s } is not RFC 3339 (e.g. 2026-11-28T17:15:00+07:00)
err-at-not-in-future = `at` { $s } is not in the future
err-priority-must-be-1-1000 = priority must be 1..=1000
err-play-needs-at-least-one = `play` needs at least one clip id
err-clip-is-state = clip `{ $c }` is { $state }
err-broadcast-id-already-taken = broadcast id `{ $id }` is already taken
err-approve-clip-first = approve clip `{ $c }` first (it is { $state })
err-broadcast-s-time-has-passed = the broadcast's time has passed; propose it again

# src/hub/users.rs
err-account-name-invalid-2-64 = account name `{ $name }` is invalid: 2–64 letters, digits, `.`, `_`, `-`, `@`
err-account-needs-at-least-one = an account needs at least one role
err-account-already-exists = account `{ $name }` already exists

# src/hub/measure.rs
err-audio-file-does-not-decode = the audio file does not decode (not a valid audio file); export it again as WAV, MP3, Ogg Vorbis, FLAC or M4A
err-file-holds-no-audio = the file holds no audio

# src/hub/clip_edit.rs
err-only-clip-s-author-fixes = only the clip's author fixes and resubmits it

# src/hub/asrun.rs
err-as-run-line-0-based = as-run line { $i } (0-based) is not valid: { $what }
err-at-most-lines-per-upload = at most { $max_lines } lines per upload: send the rest in the next batch
err-another-upload-station-was-stored = another upload of this station was stored meanwhile: send again

# src/hub/user_admin.rs
err-no-such-account = no such account
err-account-outside-your-scope = account `{ $name }` is outside your scope
err-admin-cannot-take-admin-role = an admin cannot take the admin role away from itself
err-change-your-own-password-on = change your own password on the password page
err-nobody-disables-their-own-account = nobody disables their own account

# src/hub/scope.rs
err-account-has-no-areas-admin = this account has no areas: an admin must give it some (--areas)
err-area-outside-account-s-areas = area { $out } is outside this account's areas
err-no-station-id = no station `{ $id }`
err-only-admin-whole-province-makes = only an admin of the whole province makes an account without areas or stations: give it some
err-station-outside-account-s-scope = station { $id } is outside this account's scope
err-nobody-approves-rejects-their-own = nobody approves or rejects their own proposal
err-proposal-targets-areas-outside-approver = the proposal targets areas outside this approver's areas

# src/hub/lifecycle.rs
err-rejection-needs-reason = a rejection needs a reason
err-no-action = no action `{ $what }`

# src/hub/local_clips.rs
err-only-station-s-operator-sends = only a station's operator sends local announcements to it
err-station-not-one-operator-s = station { $id } is not one of this operator's stations
err-no-station-check-id-on = no station `{ $id }`: check the id on the stations page

# src/hub/stations.rs
err-station-id-must-be-z0 = station id "{ $id }" must be [a-z0-9-]+ (at most 64 characters), e.g. phuoc-dinh
err-station-needs-name-name = the station needs a name (--name)
err-station-needs-at-least-one = the station needs at least one area (--areas), e.g. --areas 58,589,22936
err-station-exists-already-choose-another = station { $id } exists already: choose another id
err-enrolment-code-wrong-used-already = the enrolment code is wrong, used already or expired: ask the hub's admin for a new one
err-no-station-token-authorization-bearer = no station token (Authorization: Bearer …): enrol the station with `loa enroll`
err-unknown-station-token-enrol-station = unknown station token: enrol the station again with `loa enroll`

# src/hub/timetable/bounds.rs
err-program-fires-too-often-cron = program `{ $id }` fires too often: cron "{ $expr }" starts { $n } times in each minute; the hub takes programs that start at most once a minute (one value in the seconds field, e.g. "0 */5 * * * *")
err-program-fires-too-often-times = program `{ $id }` fires too often: its times { $a } and { $b } are less than a minute apart; the hub takes programs that start at most once a minute

# src/hub/timetable/mod.rs
err-only-operator-station-admin-over = only an operator of station { $station }, or an admin over its areas, may change its timetable
err-program-has-priority-operators-may = program `{ $id }` has priority { $p }: operators may set 1 to { $operator_max_priority }; emergencies (100 and up) need approval (an approver or an admin)
err-target-must-be-program-id = `target` must be a program id or a station clip's file name (no folders)
err-priority-out-range-1 = priority { $p } is out of range: 1 to { $max }

# src/hub/timetable/check.rs
err-no-station-id-2 = no station { $station }

# src/hub/auth/password.rs
err-password-must-have-at-least = the password must have at least { $min_len } characters

# src/hub/auth/session.rs
err-account-disabled-ask-admin = this account is disabled; ask an admin
err-wrong-account-name-password = wrong account name or password
err-current-password-wrong = the current password is wrong
err-new-password-must-differ-from = the new password must differ from the old one
err-not-signed-in = not signed in
err-session-has-expired-sign-in = the session has expired; sign in again
err-change-one-time-password-first = change the one-time password first (POST /api/v1/session/password)

# src/hub/api/reports.rs
err-format-not-offered-json-csv = format `{ $other }` is not offered: json, csv, xlsx or svg

# src/hub/api/programs.rs
err-no-such-station = no such station
err-programs-must-be-utf-8 = the programs must be UTF-8 text
err-body-not-valid-json = the body is not valid JSON: { $e }
err-field-target-program-clip-play = field `target` (the program or clip to play) must be a string
err-field-priority-must-be-whole = field `priority` must be a whole number

# src/hub/api/audit.rs
err-neither-date-yyyy-mm-dd = `{ $s }` is neither a date (YYYY-MM-DD) nor an RFC 3339 time
err-format-not-offered-json-csv-2 = format `{ $f }` is not offered: json or csv

# src/hub/api/stations.rs
err-field-code-enrolment-code-must = field `code` (the enrolment code) must be a string
err-field-note-must-be-string = field `note` must be a string: say why the break is acknowledged
err-field-lines-must-be-list = field `lines` must be a list of raw as-run lines (strings)

# src/hub/store/serve.rs
err-no-such-file = no such file

# src/hub/pages/account_edit.rs
err-no-such-action = no such action

# src/hub/pages/timetable.rs
err-priority-not-number = priority `{ $p }` is not a number

# src/hub/pages/timetable_restore.rs
err-timetable-changed-after-delete-open = the timetable changed after the delete: open the timetable again and add the program again
err-program-in-timetable-already = program { $program } is in the timetable already
err-timetable-no-has-no-program = timetable no. { $from } has no program { $program }

# src/hub/pages/ctx.rs
err-no-such-page = there is no such page; the link may be old or mistyped

# Written by hand (ids, roles, states)
err-bad-heartbeat-own-programs = bad heartbeat: field `own_programs`: { $reason }
err-category-invalid = category `{ $category }`: use lower-case letters, digits, `.`, `_`, `-` (at most 100), starting with a letter or digit
err-clip-id-invalid = clip id `{ $id }`: use lower-case letters, digits, `.`, `_`, `-` (at most 100), starting with a letter or digit
err-broadcast-id-invalid = broadcast id `{ $id }`: use lower-case letters, digits, `.`, `_`, `-` (at most 100), starting with a letter or digit
err-role-needed = this needs the { $role } role (`{ $code }`)
err-role-not-held = an account gives only roles it holds itself, not { $role } (`{ $code }`)
err-item-not-found = no { $kind } `{ $id }`
err-item-wrong-state = { $kind } `{ $id }` is { $state }: it cannot be { $want }
err-item-disk-full-unsigned = the hub's disk is full: the step on { $kind } `{ $id }` is recorded but the feed could not be re-signed; the old feed is still served and is re-signed once there is space
err-item-withdraw-who = only the author, an approver of its areas or an admin withdraws a { $kind }
err-length-m = { $m } min
err-length-m-s = { $m } min { $s } s
err-length-h = { $h } h
err-length-h-m = { $h } h { $m } min
err-clip-too-long = the clip lasts { $got }, over the { $limit } limit (max_duration); cut it and upload it again
err-clip-longer-than = the clip is longer than the { $limit } limit (max_duration); cut it and upload it again
err-signin-too-many-account = too many failed sign-ins for this account; try again in { $retry } s
err-signin-too-many-address = too many failed sign-ins for this address; try again in { $retry } s
err-cross-site = cross-site request refused ({ $why })
err-role-unknown = unknown role `{ $role }`: use admin, editor, approver, operator or viewer
err-station-acts-for-other = the token of station { $own } cannot act for station { $id }
err-timetable-has-errors = the timetable has errors: { $first }
err-too-many-connections = this address holds too many connections to the hub; try again later
err-host-header-twice = the request has more than one Host header
err-host-misdirected = the request names a host that is not this hub's (check public_url)
err-request-too-slow = the request's head came too slowly; the connection is closed
err-programs-have-errors = the programs have errors:
    { $lines }
err-chain-break = the as-run chain breaks at line { $index }: the log on the station was edited, deleted or sent out of order
err-want-object = a JSON object
err-want-version = a string, e.g. "0.1.0"
err-want-seconds = a whole number of seconds
err-want-time = an RFC 3339 time, e.g. 2026-11-29T08:00:00+07:00
err-want-bytes = a whole number of bytes
err-want-strings = a list of strings
err-want-null-object = null or an object
err-want-null-number = null or a whole number
err-want-null-string = null or a string
err-want-file-names = a list of at most { $max } file names
err-want-timezone = an IANA time zone, e.g. "Asia/Ho_Chi_Minh"
err-want-windows = a list of at most { $max } windows "HH:MM-HH:MM"
err-want-sha256 = null or 64 hex digits (the SHA-256 of own_programs)
err-want-sha256-match = text whose SHA-256 is own_programs_sha256
err-want-text-bytes = null or a text of at most { $max } bytes
err-want-heartbeat-s = a number of seconds from 1 to 86400
err-line-not-json = not JSON ({ $e })
err-line-field-string = field `{ $k }` must be a string
err-line-prev = field `prev` must be 64 hex digits
err-line-scheduled = field `scheduled` must be an RFC 3339 time
err-line-event = field `event` must be on_air or outcome
err-tts-unknown-field = unknown field `{ $field }` (text bulletins take { $fields })
err-public-flag = public `{ $value }` is invalid: true or false
err-public-unknown-area = there is no area with code `{ $code }`
err-public-no-bulletin = there is no such bulletin on the public pages
err-public-no-file = no such file
