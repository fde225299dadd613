package dev.holdfast.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost made at test time with the JDK's own
 * {@code keytool} (no BouncyCastle), written out as the PEM pair the node reads (and the
 * simulator trusts).
 */
public final class SelfSignedPem {

  public final Path cert;
  public final Path key;

  private SelfSignedPem(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
  }

  /** Makes a pair with this common name as {@code dir/node.crt} and {@code dir/node.key}, replacing any there. */
  public static SelfSignedPem create(Path dir, String commonName) throws Exception {
    Path store = Files.createTempFile(dir, "keystore", ".p12");
    Files.delete(store);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) ks.getKey("node", "changeit".toCharArray());
    X509Certificate certificate = (X509Certificate) ks.getCertificate("node");
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    // written beside and moved in, so a reloading node never reads half a file
    writeAtomically(key, pem("PRIVATE KEY", privateKey.getEncoded()));
    writeAtomically(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.delete(store);
    return new SelfSignedPem(cert, key);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void writeAtomically(Path target, String text) throws Exception {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
