"""How feuille runs git, whatever for: an environment that cannot point git at another repository and never
prompts, and the options that keep hooks, fsmonitor and fetches out (:mod:`feuille.io.git`'s runner, and
:func:`feuille.io.sources.plans_below`'s ``git check-ignore``, which cannot import it: git.py reads sources)."""

from __future__ import annotations

import os

# Variables that would make git look at another repository, index or object store
# than the one the plan folder is in (``git rev-parse --local-env-vars``).
_LOCAL_ENV = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE", "GIT_COMMON_DIR", "GIT_NAMESPACE",
)

_HARDENING = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "protocol.allow=never",  # a partial clone must not go and fetch a missing object
    "--no-replace-objects",
    "--literal-pathspecs",  # a folder named "[ab]*" is that folder, not a pattern
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LOCAL_ENV}
    env.update(
        GIT_OPTIONAL_LOCKS="0",  # never refresh or rewrite the index
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",  # git >= 2.45; protocol.allow=never covers older ones
        GIT_ASKPASS="",
        SSH_ASKPASS="",
        GIT_PAGER="cat",
        LC_ALL="C",  # messages in English, so that we can recognise them
        LANGUAGE="C",
    )
    return env
