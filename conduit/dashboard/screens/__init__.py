"""The dashboard's screens: one tab per file, each a View that fetches its data on the reader thread and
draws it when the data message arrives; plus the help and event-detail dialogs."""
