"""For tests that press Ctrl-C in a child process."""

import signal


def ctrl_c_heard() -> None:
    """Run in the child before it starts (`preexec_fn`): SIGINT back to its default. A
    suite started in the background by a shell without job control inherits SIGINT
    ignored, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
