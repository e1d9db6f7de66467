# Home: one section per role of the account.
home-title = Home
home-operator = My stations
home-no-station = This account has no station yet. Ask an admin to bind one to you.
home-nothing-to-play = The station has no program or file to play now. Add a program to its timetable.
home-play-what = What to play
home-programs = Programs
home-files = Files on the station
home-record = Record / upload an announcement
home-next-today = Coming up today
home-next-none = Nothing more today.
home-offline-unknown = The station is offline: what it airs is not known.
home-time-left = Aired { $aired } · { $left } left
home-time-aired = Aired { $aired }
home-reload = Reload for the latest state
home-approver = Awaiting approval
home-queue-clips = { $n ->
    [one] { $n } clip awaits approval
   *[other] { $n } clips await approval
}
home-queue-broadcasts = { $n ->
    [one] { $n } broadcast awaits approval
   *[other] { $n } broadcasts await approval
}
home-open-queue = Open the approval queue
home-editor = My clips
home-editor-none = You have not uploaded any clip yet.
home-rejected-why = Rejected because: { $reason }
home-upload = Upload a clip
home-admin = Stations needing attention
home-count-online = { $n } online
home-count-offline = { $n } offline
home-count-error = { $n } with errors
home-all-well = Every station is online with no errors.
home-last-seen = Last heartbeat { $at }
home-never-seen = Never connected
home-more = { $n } more stations
home-all-stations = See every station
home-viewer = See what aired in each commune in the reports.
home-open-reports = Open the reports
