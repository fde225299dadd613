package dev.holdfast.os;

/**
 * Distinct non-zero socket inodes (open addressing over a long[]), plus a plain count of inode-0
 * sockets: those wait in a listener's accept queue, belong to no process yet and cannot be told apart.
 */
final class InodeSet {
  private long[] table = new long[1024];
  private int size;
  private long zeros;

  void add(long inode) {
    if (inode == 0) {
      zeros++;
      return;
    }
    if (size * 2 >= table.length) {
      long[] old = table;
      table = new long[old.length * 2];
      size = 0;
      for (long v : old) {
        if (v != 0) {
          insert(v);
        }
      }
    }
    insert(inode);
  }

  /** Inserts {@code v}; true if it was new. */
  private boolean insert(long v) {
    int mask = table.length - 1;
    for (int i = slot(v, mask); ; i = (i + 1) & mask) {
      if (table[i] == v) {
        return false;
      }
      if (table[i] == 0) {
        table[i] = v;
        size++;
        return true;
      }
    }
  }

  boolean contains(long v) {
    if (v == 0) {
      return false;
    }
    int mask = table.length - 1;
    for (int i = slot(v, mask); ; i = (i + 1) & mask) {
      if (table[i] == v) {
        return true;
      }
      if (table[i] == 0) {
        return false;
      }
    }
  }

  private static int slot(long v, int mask) {
    return Long.hashCode(v * 0x9E3779B97F4A7C15L) & mask;
  }

  /** Distinct non-zero inodes plus the inode-0 sockets. */
  long count() {
    return size + zeros;
  }

  /** How many of the sorted {@code inodes} are in this set (inode-0 sockets never are). */
  long countOf(long[] inodes) {
    long n = 0;
    for (int i = 0; i < inodes.length; i++) {
      if ((i == 0 || inodes[i] != inodes[i - 1]) && contains(inodes[i])) { // a dup'ed descriptor is one socket
        n++;
      }
    }
    return n;
  }
}
