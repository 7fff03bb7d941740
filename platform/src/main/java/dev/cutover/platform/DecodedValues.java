package dev.cutover.platform;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The value of a record a batch listener is handed. A record listener never sees a payload that could not be decoded
 * (Spring hands it to the error handler first); a batch listener is handed it with a null value and the decoding
 * failure in a header, and must refuse it itself.
 */
public final class DecodedValues {

    private static final LogAccessor LOG = new LogAccessor(DecodedValues.class);

    private DecodedValues() {
    }

    /**
     * The record's value.
     *
     * @throws DeserializationException when its payload could not be decoded, for the recoverer to report
     */
    public static Object of(ConsumerRecord<?, ?> record) {
        DeserializationException undecodable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (undecodable != null) {
            throw undecodable;
        }
        return record.value();
    }
}
