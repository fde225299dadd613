"""Holds N idle loopback TCP pairs (server ends in a child process) and prints kernel memory
before and after: /proc/net/sockstat TCP mem (pages, what net.ipv4.tcp_mem limits) and
/proc/meminfo Slab + SUnreclaim (kB, the socket structures themselves)."""
import os, socket, sys, time, re
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
def snap():
    s = open('/proc/net/sockstat').read()
    m = re.search(r'TCP: inuse (\d+) orphan \d+ tw \d+ alloc (\d+) mem (\d+)', s)
    mi = dict(l.split(':', 1) for l in open('/proc/meminfo'))
    kb = lambda k: int(mi[k].split()[0])
    return dict(inuse=int(m[1]), alloc=int(m[2]), mem_pages=int(m[3]), slab_kb=kb('Slab'), sunreclaim_kb=kb('SUnreclaim'))
ls = socket.socket(); ls.bind(('127.0.0.1', 0)); ls.listen(4096)
port = ls.getsockname()[1]
r, w = os.pipe()
pid = os.fork()
if pid == 0:  # server ends
    os.close(r); held = []
    for _ in range(N):
        c, _ = ls.accept(); held.append(c)
    os.write(w, b'x'); time.sleep(3600); os._exit(0)
ls.close(); os.close(w)
time.sleep(1)
before = snap()
cl = []
for i in range(N):
    s = socket.socket(); s.connect(('127.0.0.1', port)); cl.append(s)
os.read(r, 1)
time.sleep(2)
after = snap()
for s in cl: s.close()
os.kill(pid, 9); os.waitpid(pid, 0)
d = {k: after[k] - before[k] for k in before}
print('pairs', N, 'before', before, 'after', after)
print('delta', d, 'per socket: tcp_mem bytes %.1f, slab bytes %.1f, sunreclaim bytes %.1f' % (
    d['mem_pages'] * 4096 / (2 * N), d['slab_kb'] * 1024 / (2 * N), d['sunreclaim_kb'] * 1024 / (2 * N)))
