"""One module per verb: the jobs the command line runs, each a typed function; none names a form."""
