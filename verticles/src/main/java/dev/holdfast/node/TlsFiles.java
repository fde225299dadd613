package dev.holdfast.node;

import dev.holdfast.config.ConfigException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.logging.Logger;

/**
 * The WebSocket port's TLS: a Netty {@link SslContext} from a PEM certificate chain and private
 * key, with OpenSSL (netty-tcnative) when it is on the class path and the JDK's engine otherwise.
 * {@link #reloadIfChanged} swaps in a new context when either file changed, so a renewed
 * certificate takes effect for new connections without a restart; held ones keep theirs.
 */
final class TlsFiles {

  private static final Logger LOG = Logger.getLogger(TlsFiles.class.getName());

  private final Path cert;
  private final Path key;
  private volatile SslContext context;
  private FileTime certTime;
  private FileTime keyTime;

  private TlsFiles(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
  }

  /** Loads the pair now; a file that cannot be read or parsed is a {@link ConfigException} on {@code $.tlsCertFile}. */
  static TlsFiles load(String certFile, String keyFile) {
    TlsFiles t = new TlsFiles(Path.of(certFile), Path.of(keyFile));
    try {
      t.reload();
    } catch (Exception e) {
      throw new ConfigException("$.tlsCertFile", "\"" + certFile + "\" with key \"" + keyFile
          + "\" cannot be used (" + e.getMessage() + "); give a PEM certificate chain and its PEM (PKCS#8) key");
    }
    return t;
  }

  /** Which engine the node's TLS runs on: {@code openssl} or {@code jdk}. */
  static String provider() {
    return OpenSsl.isAvailable() ? "openssl" : "jdk";
  }

  SslHandler newHandler(ByteBufAllocator alloc) {
    return context.newHandler(alloc);
  }

  /** Reloads when the certificate or key file changed since the last load; true when it did. */
  boolean reloadIfChanged() {
    try {
      if (Files.getLastModifiedTime(cert).equals(certTime) && Files.getLastModifiedTime(key).equals(keyTime)) {
        return false;
      }
      reload();
      LOG.info("TLS certificate reloaded from " + cert);
      return true;
    } catch (Exception e) {
      // a half-written renewal: keep serving the old pair, try again next time
      LOG.warning("TLS certificate " + cert + " not reloaded, keeping the current one: " + e.getMessage());
      return false;
    }
  }

  private void reload() throws Exception {
    FileTime c = Files.getLastModifiedTime(cert);
    FileTime k = Files.getLastModifiedTime(key);
    File certFile = cert.toFile();
    File keyFile = key.toFile();
    context = SslContextBuilder.forServer(certFile, keyFile)
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .build();
    certTime = c;
    keyTime = k;
  }
}
