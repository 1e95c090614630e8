// Stand-in for the AWS SDK's Pinpoint exception, which DynamoDB Local names in exception
// handlers for its usage telemetry. The test servers run with telemetry off, so only the
// class's existence matters; see tests/support/dynamodb_local.sh.
package software.amazon.awssdk.services.pinpoint.model;

public class PinpointException extends RuntimeException {
  public PinpointException(String message) { super(message); }
  public int statusCode() { return 0; }
}
