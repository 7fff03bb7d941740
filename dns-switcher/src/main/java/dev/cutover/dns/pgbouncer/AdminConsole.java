package dev.cutover.dns.pgbouncer;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One connection to a PgBouncer's admin console (the virtual database {@code pgbouncer}), speaking the PostgreSQL
 * protocol's simple queries itself. The JDBC driver cannot: the console reports PgBouncer's own version (1.x), so the
 * driver takes it for an old server and sends {@code SET extra_float_digits}, which the console refuses as a setting
 * of its own. Passwords go as PgBouncer's {@code auth_type} asks: SCRAM-SHA-256, MD5 or plain.
 */
final class AdminConsole implements AutoCloseable {

    /** A database entry as the running PgBouncer serves it ({@code SHOW DATABASES}). */
    record Entry(ServerAddress server, boolean paused) {
    }

    private static final int PROTOCOL_3 = 196608;

    private final PgBouncerInstance instance;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Duration timeout;

    private AdminConsole(PgBouncerInstance instance, Socket socket, Duration timeout) throws IOException {
        this.instance = instance;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
        this.timeout = timeout;
    }

    static AdminConsole open(PgBouncerInstance instance, String user, String password, Duration timeout)
            throws SQLException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(instance.admin().host(), instance.admin().port()),
                    Math.toIntExact(timeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            AdminConsole console = new AdminConsole(instance, socket, timeout);
            console.logIn(user, password);
            return console;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new SQLException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), "08001", e);
        } catch (SQLException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    PgBouncerInstance instance() {
        return instance;
    }

    /** The entry of that database as this PgBouncer runs it; empty if it has none. */
    Optional<Entry> entry(String database) throws SQLException {
        for (Map<String, String> row : query("SHOW DATABASES")) {
            if (database.equals(row.get("name"))) {
                String host = row.get("host");
                return Optional.of(new Entry(host == null ? null : new ServerAddress(host, Integer.parseInt(row.get("port"))),
                        "1".equals(row.get("paused"))));
            }
        }
        return Optional.empty();
    }

    /** Returns once every server connection of the database is released: in-flight transactions have finished. */
    void pause(String database, Duration pauseTimeout) throws SQLException {
        try {
            socket.setSoTimeout(Math.toIntExact(pauseTimeout.toMillis()));
            query("PAUSE " + database);
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), "08006", e);
        }
    }

    /** RESUME; false when the database was not paused, which is already where RESUME would put it. */
    boolean resume(String database) throws SQLException {
        return resumed(() -> query("RESUME " + database));
    }

    void reload() throws SQLException {
        query("RELOAD");
    }

    /**
     * {@code RELOAD} and {@code RESUME} in one write, so that PgBouncer reads both in one go and carries them out with
     * nothing in between: a RELOAD that moves the entry forgets the pool's server parameters, and a client that logged
     * in while the entry was still paused would make PgBouncer try a server connection that the pause closes, a failed
     * login that holds every client for {@code server_login_retry}. False when the database was not paused.
     */
    boolean reloadAndResume(String database) throws SQLException {
        try {
            byte[] reload = message('Q', cString("RELOAD"));
            byte[] resume = message('Q', cString("RESUME " + database));
            out.write(concat(reload, resume));
            out.flush();
        } catch (IOException e) {
            throw new SQLException(e.getMessage() + " during RELOAD and RESUME " + database, "08006", e);
        }
        result("RELOAD");
        return resumed(() -> result("RESUME " + database));
    }

    private interface Command {
        List<Map<String, String>> run() throws SQLException;
    }

    private static boolean resumed(Command resume) throws SQLException {
        try {
            resume.run();
            return true;
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("is not paused")) {
                throw e;
            }
            return false;
        }
    }

    /** One simple query: its rows, column name to text value (null for NULL). */
    List<Map<String, String>> query(String sql) throws SQLException {
        try {
            send('Q', cString(sql));
        } catch (IOException e) {
            throw new SQLException(e.getMessage() + " during " + sql, "08006", e);
        }
        return result(sql);
    }

    /** The answer to one query sent, up to its ReadyForQuery. */
    private List<Map<String, String>> result(String sql) throws SQLException {
        try {
            List<String> columns = List.of();
            List<Map<String, String>> rows = new ArrayList<>();
            SQLException error = null;
            while (true) {
                char type = (char) in.readUnsignedByte();
                ByteBuffer body = ByteBuffer.wrap(in.readNBytes(in.readInt() - 4));
                switch (type) {
                    case 'T' -> columns = columns(body);
                    case 'D' -> rows.add(row(body, columns));
                    case 'E' -> error = error(body);
                    case 'Z' -> {
                        if (error != null) {
                            throw error;
                        }
                        return rows;
                    }
                    default -> {
                        // CommandComplete, notices, parameter changes: nothing the switch acts on.
                    }
                }
            }
        } catch (IOException e) {
            throw new SQLException((e instanceof EOFException ? "PgBouncer closed the connection" : e.getMessage())
                    + " during " + sql, "08006", e);
        }
    }

    private void logIn(String user, String password) throws IOException, SQLException {
        byte[] parameters = concat(cString("user"), cString(user), cString("database"), cString("pgbouncer"),
                cString("application_name"), cString("dns-switcher"), new byte[] {0});
        ByteBuffer startup = ByteBuffer.allocate(8 + parameters.length).putInt(8 + parameters.length).putInt(PROTOCOL_3)
                .put(parameters);
        out.write(startup.array());
        out.flush();
        Scram scram = null;
        while (true) {
            char type = (char) in.readUnsignedByte();
            ByteBuffer body = ByteBuffer.wrap(in.readNBytes(in.readInt() - 4));
            switch (type) {
                case 'R' -> {
                    int request = body.getInt();
                    switch (request) {
                        case 0 -> {
                            // authenticated; parameters and ReadyForQuery follow
                        }
                        case 3 -> send('p', cString(password));
                        case 5 -> {
                            byte[] salt = new byte[4];
                            body.get(salt);
                            send('p', cString("md5" + md5Hex(concat(
                                    md5Hex((password + user).getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), salt))));
                        }
                        case 10 -> {
                            scram = new Scram(password);
                            byte[] first = scram.clientFirst();
                            send('p', concat(cString("SCRAM-SHA-256"), ByteBuffer.allocate(4).putInt(first.length).array(), first));
                        }
                        case 11 -> send('p', scram.clientFinal(new String(rest(body), StandardCharsets.UTF_8)));
                        case 12 -> scram.checkServer(new String(rest(body), StandardCharsets.UTF_8));
                        default -> throw new SQLException("PgBouncer asks for authentication method " + request
                                + ", which the switch does not speak: use auth_type scram-sha-256, md5 or plain", "28000");
                    }
                }
                case 'E' -> throw error(body);
                case 'Z' -> {
                    return;
                }
                default -> {
                    // parameter status and the cancel key: the switch never cancels
                }
            }
        }
    }

    private void send(char type, byte[] body) throws IOException {
        out.write(message(type, body));
        out.flush();
    }

    private static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    private static List<String> columns(ByteBuffer body) {
        int count = body.getShort();
        List<String> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(readCString(body));
            body.position(body.position() + 18);
        }
        return columns;
    }

    private static Map<String, String> row(ByteBuffer body, List<String> columns) {
        int count = body.getShort();
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int length = body.getInt();
            String value = null;
            if (length >= 0) {
                byte[] bytes = new byte[length];
                body.get(bytes);
                value = new String(bytes, StandardCharsets.UTF_8);
            }
            row.put(columns.get(i), value);
        }
        return row;
    }

    private static SQLException error(ByteBuffer body) {
        String message = "PgBouncer refused";
        String state = null;
        for (byte field = body.get(); field != 0; field = body.get()) {
            String value = readCString(body);
            if (field == 'M') {
                message = value;
            } else if (field == 'C') {
                state = value;
            }
        }
        return new SQLException(message, state);
    }

    private static String readCString(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // find the terminating zero
        }
        return new String(buffer.array(), start, buffer.position() - start - 1, StandardCharsets.UTF_8);
    }

    private static byte[] rest(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] cString(String text) {
        return concat(text.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static String md5Hex(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    /** SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677), as PostgreSQL and PgBouncer speak it. */
    private static final class Scram {

        private final String password;
        private final String clientNonce;
        private String authMessage;
        private byte[] saltedPassword;

        Scram(String password) {
            this.password = password;
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            this.clientNonce = Base64.getEncoder().encodeToString(random);
        }

        byte[] clientFirst() {
            return ("n,," + clientFirstBare()).getBytes(StandardCharsets.UTF_8);
        }

        private String clientFirstBare() {
            // The user name is the start-up packet's; PostgreSQL's protocol leaves it empty here.
            return "n=,r=" + clientNonce;
        }

        byte[] clientFinal(String serverFirst) throws SQLException {
            Map<Character, String> fields = fields(serverFirst);
            String nonce = fields.get('r');
            if (nonce == null || !nonce.startsWith(clientNonce)) {
                throw new SQLException("PgBouncer's SCRAM answer does not continue our nonce", "28000");
            }
            try {
                saltedPassword = pbkdf2(password, Base64.getDecoder().decode(fields.get('s')), Integer.parseInt(fields.get('i')));
                String withoutProof = "c=biws,r=" + nonce;
                authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
                byte[] clientKey = hmac(saltedPassword, "Client Key");
                byte[] signature = hmac(MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
                byte[] proof = new byte[clientKey.length];
                for (int i = 0; i < proof.length; i++) {
                    proof[i] = (byte) (clientKey[i] ^ signature[i]);
                }
                return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new SQLException("cannot answer PgBouncer's SCRAM challenge: " + e.getMessage(), "28000", e);
            }
        }

        void checkServer(String serverFinal) throws SQLException {
            try {
                byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
                String signature = fields(serverFinal).get('v');
                if (signature == null || !MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature))) {
                    throw new SQLException("PgBouncer's SCRAM signature is wrong: the server is not who it claims", "28000");
                }
            } catch (GeneralSecurityException e) {
                throw new SQLException("cannot check PgBouncer's SCRAM signature: " + e.getMessage(), "28000", e);
            }
        }

        private static Map<Character, String> fields(String message) {
            Map<Character, String> fields = new LinkedHashMap<>();
            for (String field : message.split(",")) {
                if (field.length() > 1 && field.charAt(1) == '=') {
                    fields.put(field.charAt(0), field.substring(2));
                }
            }
            return fields;
        }

        private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws GeneralSecurityException {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        }

        private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was established worth a message
        }
    }

    @Override
    public void close() {
        try {
            send('X', new byte[0]);
        } catch (IOException ignored) {
            // the connection is going anyway
        }
        closeQuietly(socket);
    }
}
