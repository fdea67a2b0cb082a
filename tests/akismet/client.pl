#!/usr/bin/perl
# client.pl PORT KEY BLOG PERMALINK - the Akismet calls a blog makes, through Debian's Net::Akismet
# (libnet-akismet-perl), against `commentguard serve --akismet-domain localhost` on
# 127.0.0.1:PORT. Net::Akismet sends the key in the host name (http://KEY.localhost:PORT/1.1/...),
# as Akismet's first clients did; the BEGIN block resolves "localhost" and every name under it to
# 127.0.0.1 (RFC 6761), as loopback_dns.js does for the npm client: the library runs unchanged.
# Exits 0 when every answer is the expected one; tests/akismet_test.sh then checks the feedback
# file for the two submissions.
use strict;
use warnings;

BEGIN {
    require IO::Socket::IP; # what LWP's Net::HTTP connects with
    no warnings 'redefine';
    my $system = \&IO::Socket::IP::getaddrinfo;
    *IO::Socket::IP::getaddrinfo = sub {
        my ($host, @rest) = @_;
        $host = '127.0.0.1' if defined $host && $host =~ /(^|\.)localhost$/;
        return $system->($host, @rest);
    };
}
use Net::Akismet;

my ($port, $key, $blog, $permalink) = @ARGV;
my $host = "localhost:$port";
sub check { my ($ok, $what) = @_; $ok or die "client.pl: $what\n"; }

check(!defined Net::Akismet->new(KEY => 'f00dfeedbeef', URL => $blog, SERVICE_HOST => $host),
      'new() with another key must fail verify-key');
my $akismet = Net::Akismet->new(KEY => $key, URL => $blog, SERVICE_HOST => $host);
check(defined $akismet, 'new() with the key: verify-key');

my %ham = (USER_IP => '203.0.113.9', COMMENT_USER_AGENT => 'Mozilla/5.0', PERMALINK => $permalink,
           COMMENT_TYPE => 'comment', COMMENT_AUTHOR => 'Jonas',
           COMMENT_CONTENT => 'A tram to the harbour district would spare the port workers the long bus ride.');
my %spam = (%ham, COMMENT_AUTHOR => 'Lucky Draw', USER_IP => '198.51.100.40',
            COMMENT_CONTENT => 'WINNER!! You have been selected for a cash prize, call 09061701461 to claim');
my $verdict = $akismet->check(%ham);
check(defined $verdict && $verdict eq 'false', 'comment-check of an on-topic comment: ' . ($verdict // 'undef'));
$verdict = $akismet->check(%spam);
check(defined $verdict && $verdict eq 'true', 'comment-check of spam: ' . ($verdict // 'undef'));
$verdict = $akismet->check(%ham, COMMENT_AUTHOR => 'viagra-test-123');
check(defined $verdict && $verdict eq 'true', "comment-check with Akismet's test author");
check($akismet->spam(%spam, COMMENT_CONTENT => 'Claim your cash prize today, call 09061701461 WINNER'),
      'submit-spam');
check($akismet->ham(%ham, COMMENT_CONTENT => 'The harbour tram would help the port workers a lot.'), 'submit-ham');
print "client.pl: all Akismet calls answered as expected\n";
