// Stand-in; see PinpointException.java.
package software.amazon.awssdk.services.pinpoint.model;

public class TooManyRequestsException extends PinpointException {
  public TooManyRequestsException(String message) { super(message); }
}
