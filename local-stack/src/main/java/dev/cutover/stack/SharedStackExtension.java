package dev.cutover.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link LocalStack} for the whole test run: started on first use with
 * {@link StackOptions#defaults()}, closed when the run ends (or, if the JVM is interrupted, by a
 * shutdown hook).
 *
 * <pre>{@code
 * @ExtendWith(SharedStackExtension.class)
 * class ReplicatorIntegrationTest {
 *     @Test
 *     void copiesARow(LocalStack stack) { ... }
 * }
 * }</pre>
 *
 * Constructors, lifecycle methods ({@code @BeforeAll static void setUp(LocalStack stack)}) and test
 * methods can declare a {@link LocalStack} parameter. Every test class sees the same servers, so give
 * each class its own database, topic and DNS name.
 */
public final class SharedStackExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(SharedStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    /** The run's stack, started if this is the first use; the root store closes it at the end of the run. */
    public static LocalStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(LocalStack.class, key -> LocalStack.start(StackOptions.defaults()), LocalStack.class);
    }
}
