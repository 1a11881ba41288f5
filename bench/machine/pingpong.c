/*
 * The machine's own round trip, with no runtime at all: the bench's shape (one sender, two
 * acking processes, 60 Hz, a 150-byte frame and a 60-byte ack over loopback TCP with Nagle
 * off) in plain C with blocking sockets. What is left in its tail is the kernel's and the
 * hypervisor's: waking a process on another virtual CPU. BENCHMARKS.md ("The machine's own
 * tail") says what it showed here and how to read it beside `pong bench`'s machine floor.
 *
 *   cc -O2 -o /tmp/pingpong bench/machine/pingpong.c && /tmp/pingpong 600
 *
 * Prints one line: round trips (frames x 2), p50, p95, p99 and max in ms.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLIENTS 2
#define FRAME_BYTES 150
#define ACK_BYTES 60
#define PERIOD_MS (1000.0 / 60.0)

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void no_delay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void fail(const char *what) {
  perror(what);
  exit(1);
}

/* An acking process: every frame read is answered at once, until the sender hangs up. */
static void acker(struct sockaddr_in *address) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)address, sizeof *address) < 0) fail("acker connect");
  no_delay(fd);
  char buffer[4096], ack[ACK_BYTES];
  memset(ack, 'a', sizeof ack);
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) _exit(0);
    if (write(fd, ack, sizeof ack) != (ssize_t)sizeof ack) _exit(1);
  }
}

/* Reads exactly one ack (TCP may split it). */
static void read_ack(int fd) {
  char buffer[ACK_BYTES];
  size_t got = 0;
  while (got < sizeof buffer) {
    ssize_t n = read(fd, buffer + got, sizeof buffer - got);
    if (n <= 0) fail("read ack");
    got += (size_t)n;
  }
}

int main(int argc, char **argv) {
  int frames = argc > 1 ? atoi(argv[1]) : 600;
  if (frames < 1) {
    fprintf(stderr, "usage: pingpong [frames]\n");
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, CLIENTS) < 0 ||
      getsockname(listener, (struct sockaddr *)&address, &length) < 0)
    fail("listen");
  for (int c = 0; c < CLIENTS; c++)
    if (fork() == 0) acker(&address);
  int clients[CLIENTS];
  for (int c = 0; c < CLIENTS; c++) {
    clients[c] = accept(listener, NULL, NULL);
    if (clients[c] < 0) fail("accept");
    no_delay(clients[c]);
  }

  double *round_trips = malloc(sizeof(double) * (size_t)frames * CLIENTS);
  if (round_trips == NULL) fail("malloc");
  char frame[FRAME_BYTES];
  memset(frame, 'f', sizeof frame);
  int count = 0;
  double start = now_ms();
  for (int i = 0; i < frames; i++) {
    /* On the absolute grid, as pong's loop: sleep to the tick, never accumulate lateness. */
    double due = start + i * PERIOD_MS, wait;
    while ((wait = due - now_ms()) > 0) usleep((useconds_t)(wait * 1000));
    double sent = now_ms();
    for (int c = 0; c < CLIENTS; c++)
      if (write(clients[c], frame, sizeof frame) != (ssize_t)sizeof frame) fail("write frame");
    /* Each ack timed as it comes, whichever is first. */
    struct pollfd waiting[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) waiting[c] = (struct pollfd){.fd = clients[c], .events = POLLIN};
    for (int left = CLIENTS; left > 0;) {
      if (poll(waiting, CLIENTS, -1) < 0) fail("poll");
      for (int c = 0; c < CLIENTS; c++) {
        if (!(waiting[c].revents & POLLIN)) continue;
        read_ack(clients[c]);
        round_trips[count++] = now_ms() - sent;
        waiting[c].fd = -1;
        left--;
      }
    }
  }
  for (int c = 0; c < CLIENTS; c++) close(clients[c]);
  while (wait(NULL) > 0) {
  }

  qsort(round_trips, (size_t)count, sizeof(double), by_value);
#define PERCENTILE(q) round_trips[(int)((q) * (count - 1) + 0.5)]
  printf("round trips %d · p50 %.3f · p95 %.3f · p99 %.3f · max %.3f ms\n", count, PERCENTILE(0.50), PERCENTILE(0.95), PERCENTILE(0.99),
         round_trips[count - 1]);
  free(round_trips);
  return 0;
}
