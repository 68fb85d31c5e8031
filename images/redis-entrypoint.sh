#!/bin/sh
# As the usual redis image: with no config file given, listen beyond loopback (protected mode off).
set -e
if [ "${1#-}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = redis-server ] && [ "$#" -eq 1 ]; then
  set -- redis-server --protected-mode no
fi
exec "$@"
