"""A local S3-compatible server for trying Byline's media on object storage.

    .venv/bin/python tools/s3_server.py [--port 9000] [--bucket byline-media]

`make s3` runs this: moto's standalone S3 server (from PyPI, in the test
extras) on 127.0.0.1, with the bucket made and the media folder in it readable
by anyone through a bucket policy, as a news site's public bucket is (README,
"Running several nodes"). It prints the variables that point `make run` at it
and serves until Ctrl-C. Development only: moto keeps every object in memory,
so they are gone when it stops (`load_demo` puts the demo's back).
"""

import argparse
import json
import logging
import signal
import sys

# moto accepts any key; boto3 only needs one to sign with.
KEY_ID = "byline-local"
SECRET = "byline-local-secret"
REGION = "us-east-1"


def public_read_policy(bucket, location):
    """A bucket policy letting anyone read objects under `location`/ (and no
    more: listing the bucket or writing stays refused)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadMedia",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{location}/*",
                }
            ],
        }
    )


def environment(endpoint, bucket):
    """The variables that point Byline at this server."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_S3_REGION_NAME": REGION,
    }


def start(port, bucket, location="media"):
    """Start the server and make the bucket; return (server, endpoint)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name=REGION,
    )
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(
        Bucket=bucket, Policy=public_read_policy(bucket, location.strip("/"))
    )
    return server, endpoint


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--bucket", default="byline-media")
    parser.add_argument("--location", default="media", help="AWS_LOCATION")
    args = parser.parse_args(argv)
    # One line per request would bury what it prints; errors still show.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server, endpoint = start(args.port, args.bucket, args.location)
    variables = " ".join(
        f"{k}={v}" for k, v in environment(endpoint, args.bucket).items()
    )
    print(f"S3 server (moto, in memory) at {endpoint}, bucket {args.bucket!r}.")
    print("In another terminal, serve the demo from it:")
    print(f"  {variables} make run", flush=True)
    # Ctrl-C, or SIGTERM from whoever started it, stops it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
