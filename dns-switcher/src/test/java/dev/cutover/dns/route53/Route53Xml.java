package dev.cutover.dns.route53;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Route53's REST/XML bodies (API version 2013-04-01), as Route53 sends and receives them. */
final class Route53Xml {

    static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";

    private Route53Xml() {
    }

    /** One weighted record set as ListResourceRecordSets returns it. */
    record WeightedSet(String name, String type, String setIdentifier, long weight, long ttl, String value) {
        String xml() {
            return """
                    <ResourceRecordSet>
                      <Name>%s</Name>
                      <Type>%s</Type>
                      <SetIdentifier>%s</SetIdentifier>
                      <Weight>%d</Weight>
                      <TTL>%d</TTL>
                      <ResourceRecords>
                        <ResourceRecord>
                          <Value>%s</Value>
                        </ResourceRecord>
                      </ResourceRecords>
                    </ResourceRecordSet>
                    """.formatted(name, type, setIdentifier, weight, ttl, value);
        }
    }

    static String listResourceRecordSetsResponse(WeightedSet... sets) {
        StringBuilder body = new StringBuilder();
        for (WeightedSet set : sets) {
            body.append(set.xml());
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListResourceRecordSetsResponse xmlns="%s">
                  <ResourceRecordSets>
                %s  </ResourceRecordSets>
                  <IsTruncated>false</IsTruncated>
                  <MaxItems>20</MaxItems>
                </ListResourceRecordSetsResponse>
                """.formatted(NAMESPACE, body);
    }

    static String changeResourceRecordSetsResponse(String changeId, String status) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ChangeResourceRecordSetsResponse xmlns="%s">
                  <ChangeInfo>
                    <Id>/change/%s</Id>
                    <Status>%s</Status>
                    <SubmittedAt>2026-11-25T14:00:00.000Z</SubmittedAt>
                    <Comment>cutover</Comment>
                  </ChangeInfo>
                </ChangeResourceRecordSetsResponse>
                """.formatted(NAMESPACE, changeId, status);
    }

    static String getChangeResponse(String changeId, String status) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <GetChangeResponse xmlns="%s">
                  <ChangeInfo>
                    <Id>/change/%s</Id>
                    <Status>%s</Status>
                    <SubmittedAt>2026-11-25T14:00:00.000Z</SubmittedAt>
                  </ChangeInfo>
                </GetChangeResponse>
                """.formatted(NAMESPACE, changeId, status);
    }

    /** The generic error body: {@code Throttling}, {@code PriorRequestNotComplete}, {@code AccessDenied}, ... */
    static String errorResponse(String code, String message) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ErrorResponse xmlns="%s">
                  <Error>
                    <Type>Sender</Type>
                    <Code>%s</Code>
                    <Message>%s</Message>
                  </Error>
                  <RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>
                </ErrorResponse>
                """.formatted(NAMESPACE, code, message);
    }

    /** The body ChangeResourceRecordSets answers a rejected batch with: its own root element, one Message per problem. */
    static String invalidChangeBatch(String... messages) {
        StringBuilder body = new StringBuilder();
        for (String message : messages) {
            body.append("    <Message>").append(message).append("</Message>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <InvalidChangeBatch xmlns="%s">
                  <Messages>
                %s  </Messages>
                  <RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>
                </InvalidChangeBatch>
                """.formatted(NAMESPACE, body);
    }

    /** One Change element of a ChangeResourceRecordSetsRequest, as the provider sent it. */
    record SentChange(String action, String name, String type, String setIdentifier, long weight, long ttl,
            List<String> values) {
    }

    record SentBatch(String rootElement, String namespace, String comment, List<SentChange> changes) {
    }

    static SentBatch parseChangeRequest(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            Element root = document.getDocumentElement();
            List<SentChange> changes = new ArrayList<>();
            NodeList changeNodes = root.getElementsByTagNameNS(NAMESPACE, "Change");
            for (int i = 0; i < changeNodes.getLength(); i++) {
                Element change = (Element) changeNodes.item(i);
                Element set = child(change, "ResourceRecordSet");
                List<String> values = new ArrayList<>();
                NodeList valueNodes = set.getElementsByTagNameNS(NAMESPACE, "Value");
                for (int v = 0; v < valueNodes.getLength(); v++) {
                    values.add(valueNodes.item(v).getTextContent());
                }
                changes.add(new SentChange(text(change, "Action"), text(set, "Name"), text(set, "Type"),
                        text(set, "SetIdentifier"), Long.parseLong(text(set, "Weight")), Long.parseLong(text(set, "TTL")),
                        values));
            }
            NodeList comments = root.getElementsByTagNameNS(NAMESPACE, "Comment");
            return new SentBatch(root.getLocalName(), root.getNamespaceURI(),
                    comments.getLength() == 0 ? null : comments.item(0).getTextContent(), changes);
        } catch (Exception e) {
            throw new IllegalStateException("not a ChangeResourceRecordSetsRequest: " + body, e);
        }
    }

    private static Element child(Element parent, String name) {
        return (Element) parent.getElementsByTagNameNS(NAMESPACE, name).item(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent();
    }
}
