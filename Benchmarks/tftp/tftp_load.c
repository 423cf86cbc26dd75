/*
 * tftp_load: a TFTP read-load generator for benchmarking TFTP servers.
 *
 * One process, one epoll loop, one non-blocking UDP socket per transfer (so
 * every transfer has its own client TID). Keeps up to -c transfers in flight
 * until -n transfers have completed, then prints one JSON line on stdout:
 *
 *   {"transfers":N,"failed":N,"bytes":N,"wall_s":F,"mb_per_s":F,
 *    "p50_ms":F,"p99_ms":F,"max_ms":F,
 *    "client_cpu_s":F,"retransmits":N,"strays":N,"foreign_tid":N,"client_drops":N}
 *
 * bytes, MB/s (10^6 bytes) and the completion-time percentiles (RRQ sent to
 * final block received) count successful transfers only. The remaining keys
 * are diagnostics: this process's CPU time, timer-driven resends (RRQ/ACK),
 * out-of-order or duplicate DATA received, packets from a second server TID, and
 * datagrams the kernel dropped because one of our sockets' receive buffer was full
 * (SO_RXQ_OVFL; non-zero would mean the client could not keep up).
 *
 * Protocol: RFC 1350 read requests in octet mode, RFC 2347 option negotiation
 * (blksize RFC 2348, tsize RFC 2349, windowsize RFC 7440). The first reply
 * fixes the server TID (address and port), whether it is a new port or the
 * listening port itself; packets from any other source get ERROR 5.
 * Block numbers roll over from 65535 to 0.
 *
 * Build: cc -O2 -o tftp_load tftp_load.c
 * Usage: tftp_load -s 127.0.0.1 -p 69 -f file -n 100 -c 50 [-b 1468] [-w 16]
 *                  [-T] [-e expected_bytes] [-t timeout_ms] [-r retries]
 *                  [-o outfile (with -n 1)] [-v]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { OP_RRQ = 1, OP_WRQ = 2, OP_DATA = 3, OP_ACK = 4, OP_ERROR = 5, OP_OACK = 6 };

enum state {
    ST_IDLE = 0,   /* slot free */
    ST_RRQ,        /* RRQ sent, nothing received yet */
    ST_DATA,       /* receiving DATA */
};

struct xfer {
    int fd;
    uint32_t gen;            /* bumps on every reuse of the slot (stale epoll events) */
    enum state st;
    int have_peer;
    int connected;           /* socket connect()ed to the server TID */
    struct sockaddr_in peer; /* server TID */
    uint16_t next_block;     /* next in-order block expected */
    uint16_t last_acked;     /* block number of the last ACK we sent */
    int since_ack;           /* in-order blocks since the last ACK */
    double gap_ack_at;       /* when we last ACKed an out-of-order/duplicate block, 0 = not in a gap */
    int blksize;
    int windowsize;
    long long tsize;         /* from OACK, -1 if none */
    long long bytes;
    uint32_t rx_drops;       /* SO_RXQ_OVFL: datagrams this socket dropped (receive buffer full) */
    double t_start;
    double deadline;
    int retries;
    unsigned char last[64];  /* last packet sent (RRQ or ACK), for retransmission */
    int last_len;
};

/* options */
static const char *opt_server = "127.0.0.1";
static int opt_port = 69;
static const char *opt_file = NULL;
static long opt_total = 1;
static int opt_conc = 1;
static int opt_blksize = 0;
static int opt_window = 0;
static int opt_tsize = 0;
static long long opt_expected = -1;
static int opt_timeout_ms = 1000;
static int opt_max_retries = 5;
static const char *opt_out = NULL;
static int opt_verbose = 0;

static struct sockaddr_in server_addr;
static int epfd;
static struct xfer *xfers;
static unsigned char rrq_pkt[600];
static int rrq_len;
static FILE *out_fp;

/* results */
static long started, completed, failed;
static long n_retransmits, n_strays, n_foreign;
static long long n_client_drops;
static long long total_bytes;
static double *latencies; /* ms, successful transfers */
static long n_lat;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *msg) {
    perror(msg);
    exit(2);
}

static void usage(void) {
    fprintf(stderr,
            "usage: tftp_load -s ADDR -p PORT -f FILE -n TOTAL -c CONCURRENCY [-b BLKSIZE] [-w WINDOWSIZE]\n"
            "                 [-T] [-e EXPECTED_BYTES] [-t TIMEOUT_MS] [-r RETRIES] [-o OUTFILE] [-v]\n"
            "  -b 0      send no blksize option (RFC 1350, 512-byte blocks)\n"
            "  -w 0|1    send no windowsize option (lockstep)\n"
            "  -T        also send tsize 0\n"
            "  -e N      a transfer whose size differs from N bytes counts as failed\n"
            "  -t MS     retransmit timeout (default 1000); give up after -r retries (default 5)\n"
            "  -o FILE   write the received data to FILE (only with -n 1)\n");
    exit(2);
}

static void build_rrq(void) {
    unsigned char *p = rrq_pkt;
    size_t room = sizeof rrq_pkt;
    int n;
    *p++ = 0;
    *p++ = OP_RRQ;
    room -= 2;
    n = snprintf((char *)p, room, "%s", opt_file);
    if (n < 0 || (size_t)n + 1 >= room) {
        fprintf(stderr, "file name too long\n");
        exit(2);
    }
    p += n + 1;
    room -= n + 1;
#define ADD(str)                                                     \
    do {                                                             \
        n = snprintf((char *)p, room, "%s", (str));                  \
        if (n < 0 || (size_t)n + 1 >= room) {                        \
            fprintf(stderr, "request too long\n");                   \
            exit(2);                                                 \
        }                                                            \
        p += n + 1;                                                  \
        room -= n + 1;                                               \
    } while (0)
    char num[32];
    ADD("octet");
    if (opt_blksize > 0) {
        ADD("blksize");
        snprintf(num, sizeof num, "%d", opt_blksize);
        ADD(num);
    }
    if (opt_tsize) {
        ADD("tsize");
        ADD("0");
    }
    if (opt_window > 1) {
        ADD("windowsize");
        snprintf(num, sizeof num, "%d", opt_window);
        ADD(num);
    }
#undef ADD
    rrq_len = (int)(p - rrq_pkt);
}

static void send_last(struct xfer *x) {
    /* EAGAIN / ENOBUFS count as loss; the retransmit timer covers it. */
    if (x->connected) {
        (void)send(x->fd, x->last, x->last_len, 0);
        return;
    }
    const struct sockaddr_in *to = x->have_peer ? &x->peer : &server_addr;
    (void)sendto(x->fd, x->last, x->last_len, 0, (const struct sockaddr *)to, sizeof *to);
}

/* Fix the server TID from its first reply (a new port, or the listening port in
 * single-port mode) and connect() to it: the kernel then caches the route (about
 * 10% less client CPU) and answers packets from any other server port with ICMP
 * port unreachable, which serves as the RFC 1350 "unknown TID" error. */
static void set_peer(struct xfer *x, const struct sockaddr_in *from) {
    x->have_peer = 1;
    x->peer = *from;
    x->connected = connect(x->fd, (const struct sockaddr *)from, sizeof *from) == 0;
}

/* Makes ACK `block` the last packet sent and sends it. */
static void ack_block(struct xfer *x, uint16_t block) {
    x->last[0] = 0;
    x->last[1] = OP_ACK;
    x->last[2] = (unsigned char)(block >> 8);
    x->last[3] = (unsigned char)(block & 0xff);
    x->last_len = 4;
    x->last_acked = block;
    x->since_ack = 0;
    send_last(x);
}

static void send_ack(struct xfer *x, uint16_t block, double now) {
    ack_block(x, block);
    x->deadline = now + opt_timeout_ms / 1000.0;
    x->retries = 0;
}

static void send_error_to(int fd, const struct sockaddr_in *to, int code, const char *msg) {
    unsigned char buf[128];
    size_t ml = strlen(msg);
    if (ml > sizeof buf - 5) ml = sizeof buf - 5;
    buf[0] = 0;
    buf[1] = OP_ERROR;
    buf[2] = (unsigned char)(code >> 8);
    buf[3] = (unsigned char)(code & 0xff);
    memcpy(buf + 4, msg, ml);
    buf[4 + ml] = 0;
    (void)sendto(fd, buf, 5 + ml, 0, (const struct sockaddr *)to, sizeof *to);
}

static void start_one(int slot, double now);

static void finish(int slot, int ok, double now, const char *why) {
    struct xfer *x = &xfers[slot];
    if (ok && opt_expected >= 0 && x->bytes != opt_expected) {
        ok = 0;
        why = "size mismatch";
    }
    if (ok && opt_expected >= 0 && x->tsize >= 0 && x->tsize != opt_expected) {
        ok = 0;
        why = "tsize mismatch";
    }
    if (ok) {
        latencies[n_lat++] = (now - x->t_start) * 1000.0;
        total_bytes += x->bytes;
    } else {
        failed++;
        if (opt_verbose || failed <= 5)
            fprintf(stderr, "tftp_load: transfer failed: %s (received %lld bytes, next block %u)\n", why, x->bytes,
                    (unsigned)x->next_block);
    }
    completed++;
    n_client_drops += x->rx_drops;
    epoll_ctl(epfd, EPOLL_CTL_DEL, x->fd, NULL);
    close(x->fd);
    x->fd = -1;
    x->st = ST_IDLE;
    if (started < opt_total) start_one(slot, now);
}

static void start_one(int slot, double now) {
    struct xfer *x = &xfers[slot];
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int rcv = 1 << 20;
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
    uint32_t gen = x->gen + 1;
    memset(x, 0, sizeof *x);
    x->gen = gen;
    x->fd = fd;
    x->st = ST_RRQ;
    x->next_block = 1;
    x->blksize = 512;
    x->windowsize = 1;
    x->tsize = -1;
    x->t_start = now;
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.u64 = ((uint64_t)gen << 32) | (uint32_t)slot;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    (void)sendto(fd, rrq_pkt, rrq_len, 0, (const struct sockaddr *)&server_addr, sizeof server_addr);
    x->deadline = now + opt_timeout_ms / 1000.0;
    started++;
}

/* Timer expiry: resend the RRQ, or ACK the last in-order block (which is the
 * last ACK sent, unless a window was cut short by loss). */
static void retransmit(struct xfer *x) {
    if (x->st == ST_RRQ) {
        (void)sendto(x->fd, rrq_pkt, rrq_len, 0, (const struct sockaddr *)&server_addr, sizeof server_addr);
        return;
    }
    ack_block(x, (uint16_t)(x->next_block - 1));
}

/* Parse OACK options (name\0value\0 ...). Returns 0 on success. */
static int parse_oack(struct xfer *x, const unsigned char *p, int len) {
    const unsigned char *end = p + len;
    while (p < end) {
        const unsigned char *name = p;
        const unsigned char *z = memchr(p, 0, end - p);
        if (!z) return -1;
        const unsigned char *val = z + 1;
        if (val >= end) return -1;
        const unsigned char *z2 = memchr(val, 0, end - val);
        if (!z2) return -1;
        long long v = atoll((const char *)val);
        if (strcasecmp((const char *)name, "blksize") == 0) {
            if (opt_blksize <= 0 || v < 8 || v > opt_blksize) return -1;
            x->blksize = (int)v;
        } else if (strcasecmp((const char *)name, "windowsize") == 0) {
            if (opt_window <= 1 || v < 1 || v > opt_window) return -1;
            x->windowsize = (int)v;
        } else if (strcasecmp((const char *)name, "tsize") == 0) {
            if (!opt_tsize) return -1;
            x->tsize = v;
        } else {
            return -1; /* option we did not ask for */
        }
        p = z2 + 1;
    }
    return 0;
}

static void on_packet(int slot, const unsigned char *buf, int len, const struct sockaddr_in *from, double now) {
    struct xfer *x = &xfers[slot];
    if (x->have_peer) {
        if (from->sin_addr.s_addr != x->peer.sin_addr.s_addr || from->sin_port != x->peer.sin_port) {
            send_error_to(x->fd, from, 5, "Unknown transfer ID");
            n_foreign++;
            return;
        }
    } else {
        if (from->sin_addr.s_addr != server_addr.sin_addr.s_addr) return; /* not the server at all */
    }
    if (len < 4) return;
    int op = (buf[0] << 8) | buf[1];

    if (op == OP_ERROR) {
        if (opt_verbose) {
            int code = (buf[2] << 8) | buf[3];
            fprintf(stderr, "tftp_load: ERROR %d from server: %.*s\n", code, len - 4, (const char *)buf + 4);
        }
        finish(slot, 0, now, "server sent ERROR");
        return;
    }
    if (op == OP_OACK) {
        if (x->st == ST_RRQ) {
            set_peer(x, from);
            if (parse_oack(x, buf + 2, len - 2) != 0) {
                send_error_to(x->fd, from, 8, "Bad option acknowledgement");
                finish(slot, 0, now, "bad OACK");
                return;
            }
            x->st = ST_DATA;
            send_ack(x, 0, now);
        } else if (x->st == ST_DATA && x->bytes == 0 && x->next_block == 1) {
            send_ack(x, 0, now); /* our ACK 0 was lost: the server resent the OACK */
        }
        return;
    }
    if (op != OP_DATA) {
        send_error_to(x->fd, from, 4, "Illegal TFTP operation");
        finish(slot, 0, now, "unexpected opcode");
        return;
    }

    if (x->st == ST_RRQ) {
        /* DATA without OACK: options refused, RFC 1350 defaults. */
        set_peer(x, from);
        x->st = ST_DATA;
        x->blksize = 512;
        x->windowsize = 1;
    }
    uint16_t block = (uint16_t)((buf[2] << 8) | buf[3]);
    int dlen = len - 4;
    if (block == x->next_block) {
        if (dlen > x->blksize) {
            send_error_to(x->fd, from, 4, "Block larger than blksize");
            finish(slot, 0, now, "oversized block");
            return;
        }
        if (out_fp && dlen > 0 && fwrite(buf + 4, 1, dlen, out_fp) != (size_t)dlen) die("fwrite");
        x->bytes += dlen;
        x->next_block++;
        x->since_ack++;
        x->gap_ack_at = 0;
        x->retries = 0;
        x->deadline = now + opt_timeout_ms / 1000.0;
        if (dlen < x->blksize) {
            send_ack(x, block, now);
            finish(slot, 1, now, NULL);
            return;
        }
        if (x->since_ack >= x->windowsize) send_ack(x, block, now);
    } else {
        /* Out of order or duplicate: ACK the last in-order block (RFC 7440).
         * Lockstep: every duplicate is the server's retransmission after a lost
         * ACK, so always answer (RFC 1350; no Sorcerer's Apprentice on this side).
         * Windowed: a retransmitted window arrives as a burst of strays; answer
         * the first and then at most once per quarter retransmit timeout. */
        n_strays++;
        if (x->windowsize <= 1 || x->gap_ack_at == 0 || now - x->gap_ack_at >= opt_timeout_ms / 4000.0) {
            send_ack(x, (uint16_t)(x->next_block - 1), now);
            x->gap_ack_at = now;
        }
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *v, long n, double p) {
    if (n == 0) return 0.0;
    long idx = (long)(p * n + 0.999999999) - 1; /* nearest rank */
    if (idx < 0) idx = 0;
    if (idx >= n) idx = n - 1;
    return v[idx];
}

int main(int argc, char **argv) {
    int c;
    while ((c = getopt(argc, argv, "s:p:f:n:c:b:w:Te:t:r:o:vh")) != -1) {
        switch (c) {
        case 's': opt_server = optarg; break;
        case 'p': opt_port = atoi(optarg); break;
        case 'f': opt_file = optarg; break;
        case 'n': opt_total = atol(optarg); break;
        case 'c': opt_conc = atoi(optarg); break;
        case 'b': opt_blksize = atoi(optarg); break;
        case 'w': opt_window = atoi(optarg); break;
        case 'T': opt_tsize = 1; break;
        case 'e': opt_expected = atoll(optarg); break;
        case 't': opt_timeout_ms = atoi(optarg); break;
        case 'r': opt_max_retries = atoi(optarg); break;
        case 'o': opt_out = optarg; break;
        case 'v': opt_verbose++; break;
        default: usage();
        }
    }
    if (!opt_file || opt_total < 1 || opt_conc < 1 || opt_port <= 0 || opt_port > 65535 || opt_timeout_ms < 1 ||
        (opt_blksize != 0 && (opt_blksize < 8 || opt_blksize > 65464)) || opt_window < 0 || opt_window > 65535)
        usage();
    if (opt_out && opt_total != 1) {
        fprintf(stderr, "-o needs -n 1\n");
        exit(2);
    }
    if (opt_conc > opt_total) opt_conc = (int)opt_total;

    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((uint16_t)opt_port);
    if (inet_pton(AF_INET, opt_server, &server_addr.sin_addr) != 1) {
        fprintf(stderr, "bad server address %s\n", opt_server);
        exit(2);
    }

    /* One socket per in-flight transfer plus slack. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rlim_t want = (rlim_t)opt_conc + 64;
        if (want < 4096) want = 4096;
        if (rl.rlim_cur < want) {
            struct rlimit nr = rl;
            nr.rlim_cur = want;
            if (nr.rlim_max != RLIM_INFINITY && nr.rlim_max < want) nr.rlim_max = want; /* needs privilege */
            if (setrlimit(RLIMIT_NOFILE, &nr) != 0) {
                nr.rlim_cur = rl.rlim_max;
                nr.rlim_max = rl.rlim_max;
                (void)setrlimit(RLIMIT_NOFILE, &nr);
            }
        }
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            rl.rlim_cur < (rlim_t)opt_conc + 16) {
            fprintf(stderr, "RLIMIT_NOFILE %llu too low for concurrency %d\n", (unsigned long long)rl.rlim_cur,
                    opt_conc);
            exit(2);
        }
    }

    if (opt_out) {
        out_fp = fopen(opt_out, "wb");
        if (!out_fp) die(opt_out);
    }

    build_rrq();
    xfers = calloc((size_t)opt_conc, sizeof *xfers);
    latencies = calloc((size_t)opt_total, sizeof *latencies);
    if (!xfers || !latencies) die("calloc");
    for (int i = 0; i < opt_conc; i++) xfers[i].fd = -1;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");

    double t0 = now_s();
    for (int i = 0; i < opt_conc; i++) start_one(i, t0);

    enum { MAXEV = 1024 };
    struct epoll_event evs[MAXEV];
    /* recvmmsg batch: a whole window in one call. */
    enum { BATCH = 32, BUFSZ = 65536 + 64 };
    static unsigned char bufs[BATCH][BUFSZ];
    static struct sockaddr_in froms[BATCH];
    static struct iovec iovs[BATCH];
    static struct mmsghdr msgs[BATCH];
    static union {
        char buf[CMSG_SPACE(sizeof(uint32_t))];
        struct cmsghdr align;
    } ctls[BATCH];
    for (int k = 0; k < BATCH; k++) {
        iovs[k].iov_base = bufs[k];
        iovs[k].iov_len = BUFSZ;
        msgs[k].msg_hdr.msg_name = &froms[k];
        msgs[k].msg_hdr.msg_namelen = sizeof froms[k];
        msgs[k].msg_hdr.msg_iov = &iovs[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
        msgs[k].msg_hdr.msg_control = ctls[k].buf;
        msgs[k].msg_hdr.msg_controllen = sizeof ctls[k].buf;
    }
    double scan_every = opt_timeout_ms / 1000.0 / 10.0;
    if (scan_every > 0.010) scan_every = 0.010;
    if (scan_every < 0.001) scan_every = 0.001;
    double next_scan = t0 + scan_every;

    while (completed < opt_total) {
        double now = now_s();
        int wait_ms = (int)((next_scan - now) * 1000.0 + 0.999);
        if (wait_ms < 0) wait_ms = 0;
        int n = epoll_wait(epfd, evs, MAXEV, wait_ms);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        now = now_s();
        for (int i = 0; i < n; i++) {
            int slot = (int)(uint32_t)evs[i].data.u64;
            uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
            /* Drain this socket in batches; stop if the transfer finished (slot reused). */
            for (int round = 0; round < 8; round++) {
                struct xfer *x = &xfers[slot];
                if (x->gen != gen || x->st == ST_IDLE) break;
                int r = recvmmsg(x->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
                if (r <= 0) break; /* EAGAIN, or ICMP error from a stale send: the timer handles it */
                for (int k = 0; k < r; k++) {
                    if (x->gen != gen || x->st == ST_IDLE) break;
                    if (msgs[k].msg_hdr.msg_namelen < sizeof(struct sockaddr_in) || froms[k].sin_family != AF_INET)
                        continue;
                    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msgs[k].msg_hdr); cm;
                         cm = CMSG_NXTHDR(&msgs[k].msg_hdr, cm)) {
                        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
                            uint32_t d;
                            memcpy(&d, CMSG_DATA(cm), sizeof d);
                            if (d > x->rx_drops) x->rx_drops = d;
                        }
                    }
                    on_packet(slot, bufs[k], (int)msgs[k].msg_len, &froms[k], now);
                }
                for (int k = 0; k < r; k++) {
                    msgs[k].msg_hdr.msg_namelen = sizeof froms[k];
                    msgs[k].msg_hdr.msg_controllen = sizeof ctls[k].buf;
                }
                if (r < BATCH) break;
            }
        }
        if (now >= next_scan) {
            next_scan = now + scan_every;
            for (int i = 0; i < opt_conc; i++) {
                struct xfer *x = &xfers[i];
                if (x->st == ST_IDLE || now < x->deadline) continue;
                if (x->retries >= opt_max_retries) {
                    finish(i, 0, now, "timeout");
                    continue;
                }
                x->retries++;
                x->deadline = now + opt_timeout_ms / 1000.0;
                n_retransmits++;
                retransmit(x);
            }
        }
    }
    double t1 = now_s();
    if (out_fp && fclose(out_fp) != 0) die("fclose");

    qsort(latencies, (size_t)n_lat, sizeof *latencies, cmp_double);
    double wall = t1 - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("{\"transfers\":%ld,\"failed\":%ld,\"bytes\":%lld,\"wall_s\":%.6f,\"mb_per_s\":%.3f,"
           "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"client_cpu_s\":%.3f,"
           "\"retransmits\":%ld,\"strays\":%ld,\"foreign_tid\":%ld,\"client_drops\":%lld}\n",
           completed, failed, total_bytes, wall, wall > 0 ? total_bytes / 1e6 / wall : 0.0,
           percentile(latencies, n_lat, 0.50), percentile(latencies, n_lat, 0.99),
           n_lat ? latencies[n_lat - 1] : 0.0, cpu, n_retransmits, n_strays, n_foreign,
           n_client_drops);
    return failed ? 1 : 0;
}
