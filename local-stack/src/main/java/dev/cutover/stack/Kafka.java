package dev.cutover.stack;

/**
 * One running Kafka node (broker and KRaft controller in one). It can be stopped and started again at the same
 * address with its log kept, so that clients reconnect to the same cluster, as after a broker restart in production.
 */
public interface Kafka extends AutoCloseable {

    /** {@code bootstrap.servers} for clients, e.g. {@code localhost:40123}; the same before and after a restart. */
    String bootstrapServers();

    /**
     * Stops the node with a controlled shutdown, keeping its ports and its log; clients see the broker go away and
     * retry until it is back. Does nothing if it is stopped already.
     */
    void stop();

    /**
     * Stops the node if it runs, then starts it again on the same ports with the same log: topics, committed
     * offsets and transaction state are all there, and clients reconnect on their own. Returns once the broker
     * serves again.
     */
    void restart();

    /** Stops the node for good and frees what it holds; never throws. */
    @Override
    void close();
}
