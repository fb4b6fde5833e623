// Paced open+close load for the collector ingest benchmark: collector-opens PATH RATE SECONDS; prints opens done.
// C rather than Python so that the generator, not the collector, is never the bottleneck below ~500k opens/s.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PATH RATE SECONDS\n", argv[0]);
    return 2;
  }
  const char *path = argv[1];
  double rate = atof(argv[2]), seconds = atof(argv[3]);
  const double slice = 0.001;
  double start = now(), next = start, owed = 0;
  long done = 0;
  while (now() - start < seconds) {
    owed += rate * slice;
    long n = (long)owed;
    owed -= n;
    for (long i = 0; i < n; i++) {
      int fd = open(path, O_RDONLY);
      if (fd >= 0) close(fd);
    }
    done += n;
    next += slice;
    double delay = next - now();
    if (delay > 0) usleep((useconds_t)(delay * 1e6));
  }
  printf("%ld\n", done);
  return 0;
}
