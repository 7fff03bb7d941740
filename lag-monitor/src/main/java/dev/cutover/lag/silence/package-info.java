/**
 * The watchdog for a silent saga: a cutover under way whose saga (cutover-service) has written nothing for longer than
 * any step's timeout allows is reported once, with what the operator must do ({@code SagaSilent}).
 */
package dev.cutover.lag.silence;
