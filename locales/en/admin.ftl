# Admin: accounts, audit log, error pages.
admin-accounts-title = Accounts
admin-account-title = Account { $name }
admin-back = ← All accounts
admin-col-name = Name
admin-col-reach = Reach
admin-col-state = State
admin-col-action = Action
admin-create = Create account
admin-edit = Edit
admin-edit-heading = Roles, stations and areas
admin-save = Save changes
admin-saved = Account { $name } saved.
admin-field-name = Account name
admin-hint-name = 2–64 letters, digits, . _ - @ (e.g. operator-tan-hoa)
admin-field-roles = Roles
admin-field-stations = Stations
admin-hint-stations = A station operator works only with the stations chosen here.
admin-no-stations = No station inside your scope yet.
admin-field-areas = Areas
admin-hint-areas = Edit, approve and read reports in the areas chosen.
admin-one-time-given = One-time password of { $name } (shown only now; changed at first sign-in):
admin-reach-all = { $roles } — the whole province
admin-reach-operator = Operates station { $stations }
admin-reach-stations = { $roles } — station { $stations }
admin-reach-areas = { $roles } — { $areas }
admin-reach-both = { $roles } — { $areas }; station { $stations }
admin-state-active = Active
admin-state-one-time = One-time password not changed yet
admin-state-disabled = Disabled
admin-reset-heading = Reset the password
admin-reset-hint = Makes a new one-time password to hand over; the old password stops working and its sessions end.
admin-reset = New password
admin-disable-heading = Disable the account
admin-disable-hint = A disabled account cannot sign in; its open sessions end. It can be enabled again.
admin-disable = Disable account
admin-disabled = Account { $name } disabled.
admin-enable-heading = The account is disabled
admin-enable = Enable account
admin-enabled = Account { $name } enabled.
admin-error-401 = Sign in needed
admin-error-403 = Not allowed
admin-error-404 = Not found
admin-error-500 = System error
admin-error-other = Could not be done
admin-error-home = Back to the start page
admin-audit-title = Audit log
admin-audit-chain-ok = The log is intact: { $n } rows, none edited or deleted.
admin-audit-chain-broken = The log is broken at row { $row }: a row was edited or deleted.
admin-audit-who = Who
admin-audit-anyone = Anyone
admin-audit-what = What
admin-audit-anything = Anything
admin-audit-from = From
admin-audit-to = To
admin-audit-apply = Filter
admin-audit-clear = Clear
admin-audit-count = { $n } rows · page { $page }/{ $pages }
admin-audit-meta = Row { $id } · { $at } · from address { $address }
admin-audit-meta-local = Row { $id } · { $at } · on the server itself
admin-audit-empty = No row matches the filter.
admin-audit-pages = Pages
admin-audit-newer = ← Newer
admin-audit-older = Older →
admin-audit-csv = Download everything (CSV)
admin-audit-group-sign-in = Sign-in, passwords
admin-audit-group-accounts = Accounts
admin-audit-group-clips = Clips
admin-audit-group-broadcasts = Broadcasts
admin-audit-group-stations = Stations
admin-audit-group-timetables = Timetables, station control
admin-audit-login = { $who } signed in at { $at }
admin-audit-login-failed = A wrong sign-in to account { $what } at { $at }
admin-audit-logout = { $who } signed out at { $at }
admin-audit-password-change = { $who } changed their password at { $at }
admin-audit-password-change-failed = { $who } gave a wrong old password when changing it at { $at }
admin-audit-user-add = { $who } created account { $what } at { $at }
admin-audit-user-add-refused = { $who } was refused creating account { $what } at { $at }
admin-audit-user-edit = { $who } changed the roles, stations and areas of account { $what } at { $at }
admin-audit-user-change-refused = { $who } was refused changing account { $what } at { $at }
admin-audit-user-password-reset = { $who } reset the password of account { $what } at { $at }
admin-audit-user-disable = { $who } disabled account { $what } at { $at }
admin-audit-user-enable = { $who } enabled account { $what } at { $at }
admin-audit-clip-upload = { $who } uploaded clip «{ $what }» at { $at }
admin-audit-clip-upload-refused = { $who } was refused uploading a clip for { $what } at { $at }
admin-audit-clip-submit = { $who } submitted clip «{ $what }» at { $at }
admin-audit-clip-approve = { $who } approved clip «{ $what }» at { $at }
admin-audit-clip-reject = { $who } rejected clip «{ $what }» at { $at }
admin-audit-clip-withdraw = { $who } withdrew clip «{ $what }» at { $at }
admin-audit-broadcast-propose = { $who } proposed broadcast «{ $what }» at { $at }
admin-audit-broadcast-approve = { $who } approved broadcast «{ $what }» at { $at }
admin-audit-broadcast-reject = { $who } rejected broadcast «{ $what }» at { $at }
admin-audit-broadcast-withdraw = { $who } withdrew broadcast «{ $what }» at { $at }
admin-audit-station-add = { $who } added { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-station-enroll = { $named ->
        [yes] { $what }
       *[no] Station { $what }
    } enrolled at { $at }
admin-audit-station-enroll-failed = A station used a wrong enrolment code at { $at }
admin-audit-timetable-publish = { $who } published the timetable of { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-timetable-publish-refused = { $who } was refused publishing the timetable of { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-remote-play = { $who } ordered play now at { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-remote-play-refused = { $who } was refused play now at { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-remote-stop = { $who } ordered a stop at { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-remote-stop-refused = { $who } was refused a stop at { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-asrun-break = The as-run log of { $named ->
        [yes] { $what }
       *[no] station { $what }
    } has a break (found at { $at })
admin-audit-asrun-break-ack = { $who } acknowledged a break in the as-run log of { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-restore = { $who } restored the system from a backup at { $at }
admin-audit-remote-command-refused = { $who } was refused a command to { $named ->
        [yes] { $what }
       *[no] station { $what }
    } at { $at }
admin-audit-init = { $who } set up the system at { $at }
admin-audit-areas-import = { $who } loaded the list of administrative units from file { $what } at { $at }
admin-audit-clip-resubmit = { $who } edited and resubmitted clip «{ $what }» at { $at }
admin-audit-actor-cli = The server's administrator (command line)
admin-audit-actor-cli-named = { $name } (command line on the server)
admin-audit-actor-unknown = Someone not signed in
admin-audit-other = { $who }: { $action } — { $what } at { $at }
