import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A mutual-TLS peer for mtlskit's tests: loads a keystore and a truststore with
 * KeyStore.getInstance(TYPE) and completes one handshake, as a client (GET / from
 * 127.0.0.1:PORT) or as a server (one connection on 127.0.0.1:PORT, client certificate required).
 *
 * Usage: KeystorePeer client|server KEYSTORE TYPE TRUSTSTORE TYPE PASSWORD_FILE PORT
 * Exit codes: 0 handshake done, 3 the truststore holds no entry, anything else an exception.
 */
public final class KeystorePeer {
    public static void main(String[] args) throws Exception {
        char[] password = Files.readAllLines(Paths.get(args[5])).get(0).toCharArray();
        KeyStore keys = load(args[1], args[2], password);
        KeyStore trust = load(args[3], args[4], password);
        System.out.println("keystore aliases: " + Collections.list(keys.aliases()));
        System.out.println("truststore entries: " + trust.size());
        if (trust.size() == 0) {
            System.exit(3);
        }
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        int port = Integer.parseInt(args[6]);
        if (args[0].equals("client")) {
            client(context, port);
        } else {
            server(context, port);
        }
    }

    private static KeyStore load(String path, String type, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    private static void client(SSLContext context, int port) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            System.out.println("handshake " + socket.getSession().getProtocol()
                    + " server " + socket.getSession().getPeerPrincipal());
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            System.out.println("response " + in.readLine());
        }
    }

    /** Serves until one handshake succeeds (readiness probes fail theirs), at most 5 tries. */
    private static void server(SSLContext context, int port) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(port, 5, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(20_000);
            for (int attempt = 0; attempt < 5; attempt++) {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    System.out.println("handshake " + socket.getSession().getProtocol()
                            + " client " + socket.getSession().getPeerPrincipal());
                    OutputStream out = socket.getOutputStream();
                    out.write("hello from java\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                } catch (java.io.IOException failed) {
                    System.out.println("failed handshake: " + failed);
                }
            }
            throw new IllegalStateException("no successful handshake");
        }
    }
}
