# What the station's command line prints besides config problems (`loa check`'s
# summary, `loa play` / `stop` / `status` / `reload` / `log`): cli-… ids.
cli-check-hub-error = { $path }: the timetable from the hub: { $error }
cli-check-hub-note = { $path }: note: { $n } program(s) from the hub's timetable (sequence { $seq }) air too
cli-check-feed-category = { $path }: warning: program `{ $id }`: no clip of category `{ $category }` in the store is valid today for this station (run `loa sync`, or publish one)
cli-check-feed-clip = { $path }: warning: program `{ $id }`: feed clip `{ $clip }` is not in the store, or not valid today for this station
cli-check-ok-next = ok: { $path } — { $programs } program(s), { $warnings } warning(s); next: { $program } at { $when }
cli-check-ok-nothing = ok: { $path } — { $programs } program(s), { $warnings } warning(s); nothing scheduled in the next 8 days
cli-streams-none = streams: none in this config
cli-stream-ok = stream { $url }: ok, audio after { $seconds } s
cli-stream-failed = stream { $url }: cannot be relayed now: { $why }
cli-stream-silent = stream { $url }: cannot be relayed now: no audio within { $seconds } s
cli-no-daemon = loa is not running (no control socket at { $socket }): start it with `systemctl start loa` or `loa run`
cli-no-daemon-stale = loa is not running (nothing answers on its control socket { $socket }): start it with `systemctl start loa` or `loa run`
cli-permission-denied = cannot reach loa's control socket { $socket }: permission denied — run as root or as a member of the loa group
cli-timeout = loa did not answer within { $seconds }s on { $socket }: the daemon is busy or stuck; see its log (`journalctl -u loa`)
cli-protocol = unexpected reply from loa on { $socket }: { $detail } (are `loa` and the running daemon the same version?)
cli-io = cannot talk to loa on { $socket }: { $error }
cli-refused = the daemon refused the request: { $reason }
cli-cmd-play-unknown = cannot play «{ $target }»: the station has no program or clip file of that name. Its programs: { $programs }.
cli-cmd-play-busy = cannot play «{ $target }» now: «{ $current }» (priority { $priority }) is on air; use --priority { $needed } to interrupt it, or `loa stop` first.
cli-cmd-play-queued = cannot play «{ $target }» now: «{ $waiting }» is already waiting to start; try again in a moment.
cli-cmd-stop-nothing = nothing is on air
cli-cmd-stop-already = «{ $current }» is already stopping
cli-cmd-reload-invalid = the new config has errors: it was refused and the old schedule keeps running
cli-play-no-file = { $target }: { $error }
cli-play-starting = starting: { $occurrence } (fading out what was on air)
cli-play-on-air = on air: { $occurrence }
cli-stopped = stopped: { $occurrence }
cli-reloaded = reloaded: { $n } program(s)
cli-log-none = { $file }: no as-run log yet (nothing has aired)
cli-log-ok = ok: { $file }: { $n } records, chain intact
cli-log-broken = { $file }:{ $line }: chain broken: { $why }
cli-status-now = Now: { $now } ({ $tz }) · up since { $since }
cli-status-clock-untrusted = Clock: UNTRUSTED: the clock reads earlier than the as-run log, nothing is scheduled until it is set
cli-status-on-air-none = On air: nothing
cli-status-on-air = On air: { $title } [{ $program }] · priority { $priority }
cli-status-on-air-since = since { $since } · elapsed { $elapsed }
cli-status-item = item: { $item } @ { $position }
cli-status-between-items = item: (between items)
cli-status-next-none = Next: none
cli-status-next = Next:
cli-status-next-item = { $start } ({ $day }) { $title } [{ $program }] · { $due ->
        [yes] due
       *[no] in { $left }
    }{ $emergency ->
        [yes] {" "}· EMERGENCY ({ $priority })
       *[no] {""}
    }
cli-status-feed-none = Feed: not configured
cli-status-feed = Feed: { $result }
cli-status-feed-sequence = sequence { $n }
cli-status-feed-at = at { $at }
cli-status-feed-never = never synced
cli-status-feed-stale = STALE (airing from the store)
cli-status-store = Store: { $clips } clips · { $bytes }
cli-status-output = Output: { $device } · { $state ->
        [closed] closed (opens before a broadcast)
        [ready] ready
        [on-air] on air
       *[failed] FAILED, retrying
    }
cli-status-output-error = Output: { $device } · { $state ->
        [closed] closed (opens before a broadcast)
        [ready] ready
        [on-air] on air
       *[failed] FAILED, retrying
    }: { $error }
