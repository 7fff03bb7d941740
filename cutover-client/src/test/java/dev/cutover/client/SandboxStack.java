package dev.cutover.client;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * One stack for this module's test run in the layout a DNS flip needs: Kafka, the source on 127.0.0.2 and the target on
 * 127.0.0.3 on one port. The shared stack of other modules puts both servers on 127.0.0.1 at different ports, where an
 * address alone cannot tell them apart.
 */
public final class SandboxStack implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(SandboxStack.class);
    /** What the tests' hosts file ({@code src/test/resources/hosts}) maps to the source, for the whole run. */
    public static final String DATABASE_HOST = "db.client.cutover.test";
    public static final String DATABASE = "clientapp";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(LocalStack.class, key -> {
            LocalStack stack = LocalStack.start(StackOptions.sandbox().withParts(StackPart.KAFKA, StackPart.SOURCE, StackPart.TARGET));
            stack.source().createDatabase(DATABASE);
            stack.target().createDatabase(DATABASE);
            return stack;
        }, LocalStack.class);
    }
}
