/* The pod sandbox's process: holds the pod's namespaces, reaps orphans, exits on SIGINT/SIGTERM. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

static void stop(int sig) { (void)sig; _exit(0); }

static void reap(int sig)
{
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void)
{
  struct sigaction term = {0};
  term.sa_handler = stop;
  sigaction(SIGINT, &term, 0);
  sigaction(SIGTERM, &term, 0);
  struct sigaction child = {0};
  child.sa_handler = reap;
  child.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &child, 0);
  for (;;) {
    pause();
  }
}
