"""Domain rules, written once: the phone's live estimate and the server's invoice both call these."""
