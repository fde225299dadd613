package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's memory at one moment, read right after a forced full GC: live heap (class
 * histogram total), RSS, and the part of RSS that is Java heap pages; with the connections held then.
 */
record Snapshot(long connections, long liveHeapBytes, long rssKb, long heapPagesKb, ClassHistogram histogram) {

  /** Reads the server now; the class histogram's text is kept in {@code histogramFile}. */
  static Snapshot take(ServerProcess server, long[] heapRange, long connections, Path histogramFile) throws Exception {
    String text = server.jcmd("GC.class_histogram"); // forces the full GC, so RSS below is read after it
    Files.writeString(histogramFile, text);
    ClassHistogram h = ClassHistogram.parse(text);
    return new Snapshot(connections, h.totalBytes(), server.rssKb(), server.heapRssKb(heapRange), h);
  }

  /** Live heap bytes per connection added between {@code earlier} and this. */
  double heapPerConnection(Snapshot earlier, long connections) {
    return (double) (liveHeapBytes - earlier.liveHeapBytes) / connections;
  }

  double rssPerConnection(Snapshot earlier, long connections) {
    return (rssKb - earlier.rssKb) * 1024.0 / connections;
  }

  double heapPagesPerConnection(Snapshot earlier, long connections) {
    return (heapPagesKb - earlier.heapPagesKb) * 1024.0 / connections;
  }

  JsonObject toJson() {
    return new JsonObject().put("connections", connections).put("liveHeapBytes", liveHeapBytes).put("rssKiB", rssKb)
        .put("heapPagesKiB", heapPagesKb);
  }
}
