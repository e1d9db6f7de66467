# The citizens' pages (no sign-in): listen again, podcast, the embed for a
# commune's website, the bulletin board; the "public" box of the upload form.
public-title = Listen again · { $area }
public-heading = Bulletins of { $area }
public-intro = The bulletins aired in { $area }, newest first. Press play to listen again.
public-search-label = Search the titles
public-search-button = Search
public-search-clear = Clear the search
public-count = { $n ->
    [one] One bulletin.
   *[other] { $n } bulletins.
}
public-found = { $n ->
    [one] One bulletin found for “{ $words }”.
   *[other] { $n } bulletins found for “{ $words }”.
}
public-empty = No bulletins yet.
public-none-found = No bulletin matches “{ $words }”.
public-date = Date { $date }
public-duration = Length { $time }
public-download = Download
public-download-label = Download the audio: { $title }
public-player-label = Listen: { $title }
public-page = Page { $page } of { $pages }
public-prev = Previous page
public-next = Next page
public-podcast = Listen in a podcast app
public-board-link = Bulletin board (big screen)
public-embed-link = Put it on the commune's website
public-lang-other = Tiếng Việt
public-footer = Local radio station · { $area }
public-404-title = No such page
public-404-home = The link may be old or mistyped.
public-embed-title = Latest bulletins · { $area }
public-embed-more = See all bulletins
public-board-title = Bulletin board · { $area }
public-board-empty = No bulletins today yet.
public-board-position = Bulletin { $n } of { $total }
public-podcast-title = Bulletins of { $area }
public-podcast-description = The bulletins of the local radio station of { $area }, published by the province's system.
public-podcast-item = { $title }, { $date }
public-upload-field = Put it on the public pages (listen again, podcast, bulletin board)
public-upload-hint = Untick when the bulletin is only for the loudspeakers, not for citizens to listen to again online.
public-station-link = The listen-again page of { $area }
public-error-title = This page cannot be shown right now
public-error-later = Please try again in a few minutes.
