# Common: the language's name and words used everywhere.
lang-name = English
catalogue-test = { $who }: { $n } { $n ->
    [one] item
   *[other] items
}
confirm-title = Please confirm
confirm-back = Go back, do nothing
