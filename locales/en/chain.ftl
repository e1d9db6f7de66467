# A station's as-run chain: its breaks and acknowledging a break (the station page).
chain-ack-help = Once the station is checked (re-imaged box, replaced card…), acknowledge to let the hub take the station's log again from its newest lines. The break stays on record and in reports.
chain-ack-note = Why
chain-ack-button = Acknowledge the break
chain-breaks-title = Acknowledged breaks
chain-break-found = Found { $at } · lines in doubt after { $from }
chain-break-acked = Acknowledged by { $who } { $at }: { $note }
chain-break-acked-waiting = Acknowledged by { $who } { $at }: { $note } · waiting for the station
