import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('tanaka', 'Tr0ub4dor96*l7Y')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
