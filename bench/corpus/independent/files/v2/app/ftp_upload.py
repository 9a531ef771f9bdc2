import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('bob', 'Kangaroo8530&LMF')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
